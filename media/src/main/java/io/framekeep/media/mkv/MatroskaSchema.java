package io.framekeep.media.mkv;

import static io.framekeep.media.mkv.MatroskaIds.*;

import io.framekeep.media.ebml.EbmlSchema;
import io.framekeep.media.ebml.EbmlType;

/**
 * The Matroska element table used at ingest: which elements are descended into, which values are
 * decoded, and the level of each master (for ending unknown-size elements). Everything else,
 * including blocks and the level-1 elements that are only stored (SeekHead, Tags, Cues), is
 * opaque and streamed. Stateless and thread-safe.
 */
final class MatroskaSchema implements EbmlSchema {
  static final MatroskaSchema INSTANCE = new MatroskaSchema();

  private MatroskaSchema() {}

  @Override
  public EbmlType type(int id) {
    switch (id) {
      case ID_EBML:
      case ID_SEGMENT:
      case ID_INFO:
      case ID_TRACKS:
      case ID_TRACK_ENTRY:
      case ID_VIDEO:
      case ID_AUDIO:
      case ID_CLUSTER:
      case ID_BLOCK_GROUP:
        return EbmlType.MASTER;
      case ID_TIMECODE_SCALE:
      case ID_TRACK_NUMBER:
      case ID_TRACK_TYPE:
      case ID_DEFAULT_DURATION:
      case ID_PIXEL_WIDTH:
      case ID_PIXEL_HEIGHT:
      case ID_CHANNELS:
      case ID_BIT_DEPTH:
      case ID_TIMECODE:
      case ID_BLOCK_DURATION:
        return EbmlType.UNSIGNED;
      case ID_REFERENCE_BLOCK:
        return EbmlType.SIGNED;
      case ID_SAMPLING_FREQUENCY:
        return EbmlType.FLOAT;
      case ID_DOC_TYPE:
      case ID_CODEC_ID:
        return EbmlType.STRING;
      case ID_CODEC_PRIVATE:
        return EbmlType.BINARY;
      default:
        return EbmlType.OPAQUE;
    }
  }

  @Override
  public boolean endsUnknownSize(int parentId, int childId) {
    int childLevel = level(childId);
    return childLevel >= 0 && childLevel <= level(parentId);
  }

  /** The fixed level of an element, or -1 for elements that may appear at several levels. */
  static int level(int id) {
    switch (id) {
      case ID_EBML:
      case ID_SEGMENT:
        return 0;
      case ID_SEEK_HEAD:
      case ID_INFO:
      case ID_TRACKS:
      case ID_CLUSTER:
      case ID_CUES:
      case ID_TAGS:
      case ID_CHAPTERS:
      case ID_ATTACHMENTS:
        return 1;
      case ID_TRACK_ENTRY:
      case ID_BLOCK_GROUP:
        return 2;
      case ID_VIDEO:
      case ID_AUDIO:
        return 3;
      default:
        return -1;
    }
  }
}
