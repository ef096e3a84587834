package io.framekeep.media.kvs;

import static io.framekeep.media.mkv.MatroskaIds.ID_ATTACHMENTS;
import static io.framekeep.media.mkv.MatroskaIds.ID_CHAPTERS;
import static io.framekeep.media.mkv.MatroskaIds.ID_CLUSTER;
import static io.framekeep.media.mkv.MatroskaIds.ID_CUES;
import static io.framekeep.media.mkv.MatroskaIds.ID_EBML;
import static io.framekeep.media.mkv.MatroskaIds.ID_INFO;
import static io.framekeep.media.mkv.MatroskaIds.ID_SEEK_HEAD;
import static io.framekeep.media.mkv.MatroskaIds.ID_SEGMENT;
import static io.framekeep.media.mkv.MatroskaIds.ID_TAGS;
import static io.framekeep.media.mkv.MatroskaIds.ID_TRACKS;

import io.framekeep.media.MediaFormatException;
import io.framekeep.media.ebml.EbmlReader;
import io.framekeep.media.ebml.EbmlSchema;
import io.framekeep.media.ebml.EbmlType;
import java.nio.ByteBuffer;

/**
 * The MKV header a producer sent at the start of a PutMedia body, as stored with its fragments,
 * split into the two parts a KVS chunk replays: the EBML header element and the Segment's
 * pre-cluster level-1 elements (SeekHead, Void, Info, Tracks, Tags, ...). The Segment element
 * header itself is dropped: a chunk always opens its Segment with the unknown size, whatever size
 * the producer declared.
 *
 * <p>Stored format (see the ingest parser): EBML header element, then the Segment element header
 * (known or unknown size), then the level-1 elements up to, not including, the first Cluster.
 *
 * <p>The split is a bounded scan with {@link EbmlReader}: it descends only into the EBML header
 * and the Segment, streams every other payload without buffering it, and stops at the end of the
 * bytes or at a Cluster. Immutable and thread-safe once parsed; the arrays are not copied, so
 * callers must not modify them.
 *
 * @param raw the stored header bytes
 * @param ebmlHeaderLength bytes {@code [0, ebmlHeaderLength)} of {@code raw} are the EBML header
 * @param preClusterStart offset in {@code raw} of the first pre-cluster element
 * @param preClusterEnd offset just past the last pre-cluster element
 */
public record StoredHeader(byte[] raw, int ebmlHeaderLength, int preClusterStart, int preClusterEnd) {

  /** Splits a stored header; malformed if it is not EBML header + Segment + whole elements. */
  public static StoredHeader parse(byte[] raw) throws MediaFormatException {
    EbmlReader reader = new EbmlReader(Schema.INSTANCE);
    ByteBuffer in = ByteBuffer.wrap(raw);
    long ebmlEnd = -1;
    long segmentDataStart = -1;
    long end = -1;
    while (end < 0) {
      EbmlReader.Event event = reader.read(in);
      switch (event) {
        case ELEMENT_START -> {
          int id = reader.elementId();
          if (reader.level() == 0) {
            if (id == ID_EBML && ebmlEnd < 0 && segmentDataStart < 0) {
              continue;
            }
            if (id == ID_SEGMENT && ebmlEnd >= 0 && segmentDataStart < 0) {
              segmentDataStart = reader.position();
              continue;
            }
            throw MediaFormatException.malformed("stored MKV header has an unexpected top-level"
                + " element 0x" + Integer.toHexString(id) + " at offset "
                + reader.elementStartPosition());
          }
          if (reader.level() == 1 && id == ID_CLUSTER && segmentDataStart >= 0) {
            end = reader.elementStartPosition();
          }
        }
        case ELEMENT_END -> {
          if (reader.level() == 0 && reader.elementId() == ID_EBML) {
            ebmlEnd = reader.elementEndPosition();
          } else if (reader.level() == 0 && reader.elementId() == ID_SEGMENT) {
            end = reader.elementEndPosition();
          }
        }
        case NEED_MORE_DATA -> {
          if (segmentDataStart < 0 || !reader.atElementBoundary() || reader.depth() != 1) {
            throw MediaFormatException.malformed("stored MKV header of " + raw.length
                + " bytes does not end after whole pre-cluster elements of a Segment");
          }
          end = reader.position();
        }
        default -> {
          // VALUE and PAYLOAD carry nothing the split needs.
        }
      }
    }
    if (segmentDataStart < 0) {
      throw MediaFormatException.malformed("stored MKV header has no Segment");
    }
    return new StoredHeader(raw, (int) ebmlEnd, (int) segmentDataStart, (int) end);
  }

  /** Bytes of the pre-cluster elements. */
  public int preClusterLength() {
    return preClusterEnd - preClusterStart;
  }

  /**
   * The element table of the scan: masters are the two top-level elements and the level-1
   * elements that may carry the unknown size; everything else is opaque and skipped.
   */
  private static final class Schema implements EbmlSchema {
    static final Schema INSTANCE = new Schema();
    /** The level-1 masters of a Matroska Segment. */
    private static final int[] LEVEL_1 = {
        ID_SEEK_HEAD, ID_INFO, ID_TRACKS, ID_TAGS, ID_CUES, ID_CHAPTERS, ID_ATTACHMENTS, ID_CLUSTER};

    @Override
    public EbmlType type(int id) {
      return id == ID_EBML || id == ID_SEGMENT || isLevel1(id) ? EbmlType.MASTER : EbmlType.OPAQUE;
    }

    @Override
    public boolean endsUnknownSize(int parentId, int childId) {
      if (childId == ID_EBML || childId == ID_SEGMENT) {
        return true;
      }
      return isLevel1(parentId) && isLevel1(childId);
    }

    private static boolean isLevel1(int id) {
      for (int candidate : LEVEL_1) {
        if (candidate == id) {
          return true;
        }
      }
      return false;
    }
  }
}
