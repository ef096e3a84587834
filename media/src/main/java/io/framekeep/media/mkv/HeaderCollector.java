package io.framekeep.media.mkv;

import static io.framekeep.media.mkv.MatroskaIds.*;

import io.framekeep.media.MediaFormatException;
import io.framekeep.media.ebml.EbmlReader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects the "MKV header" of a PutMedia body: every byte before the first Cluster (kept
 * verbatim, bounded by {@link IngestLimits#maxHeaderBytes()}) and the values decoded from the EBML
 * header, Info and Tracks. Not thread-safe.
 */
final class HeaderCollector {
  /** Initial capacity of the raw header buffer; ffmpeg and producer SDK headers fit in it. */
  private static final int INITIAL_RAW_CAPACITY = 1024;

  private final IngestLimits limits;
  private byte[] raw = new byte[INITIAL_RAW_CAPACITY];
  private int rawLength;

  private String docType = DOC_TYPE_MATROSKA;
  private long timecodeScaleNs = MkvHeader.DEFAULT_TIMECODE_SCALE_NS;
  private final List<TrackInfo> tracks = new ArrayList<>();
  private int trackEntries;
  private TrackFields track;

  HeaderCollector(IngestLimits limits) {
    this.limits = limits;
  }

  /** Heap bytes of the raw header collected so far (the buffer's capacity). */
  long retainedBytes() {
    return raw.length;
  }

  /** Appends consumed body bytes {@code [from, to)} of {@code buffer}. */
  void appendRaw(ByteBuffer buffer, int from, int to) throws MediaFormatException {
    int n = to - from;
    // The first Cluster's element header is consumed before it is recognised, hence the slack.
    long bound = (long) limits.maxHeaderBytes() + EbmlReader.MAX_HEADER_BYTES;
    if (rawLength + (long) n > bound) {
      throw MediaFormatException.malformed(
          "MKV header is longer than " + limits.maxHeaderBytes() + " bytes");
    }
    if (rawLength + n > raw.length) {
      raw = Arrays.copyOf(raw, (int) Math.min(bound, Math.max(raw.length * 2L, rawLength + (long) n)));
    }
    buffer.duplicate().position(from).limit(to).get(raw, rawLength, n);
    rawLength += n;
  }

  void onStart(EbmlReader reader) throws MediaFormatException {
    if (reader.elementId() == ID_TRACK_ENTRY && reader.parentId() == ID_TRACKS) {
      if (++trackEntries > limits.maxTracks()) {
        throw MediaFormatException.ingestRejected(
            4012, "Tracks declares more than " + limits.maxTracks() + " tracks");
      }
      track = new TrackFields();
    }
  }

  void onValue(EbmlReader reader) throws MediaFormatException {
    int id = reader.elementId();
    int parent = reader.parentId();
    if (parent == ID_EBML && id == ID_DOC_TYPE) {
      docType = reader.stringValue();
    } else if (parent == ID_INFO && id == ID_TIMECODE_SCALE) {
      timecodeScaleNs = reader.unsignedValue();
      if (timecodeScaleNs <= 0) {
        throw MediaFormatException.malformed("TimecodeScale " + Long.toUnsignedString(timecodeScaleNs)
            + " is out of range");
      }
    } else if (track != null && parent == ID_TRACK_ENTRY) {
      onTrackEntryValue(reader, id);
    } else if (track != null && (parent == ID_VIDEO || parent == ID_AUDIO)) {
      onTrackDetailValue(reader, id);
    }
  }

  private void onTrackEntryValue(EbmlReader reader, int id) throws MediaFormatException {
    switch (id) {
      case ID_TRACK_NUMBER:
        track.trackNumber = intValue(reader, "TrackNumber");
        break;
      case ID_TRACK_TYPE:
        track.trackType = intValue(reader, "TrackType");
        break;
      case ID_CODEC_ID:
        track.codecId = reader.stringValue();
        break;
      case ID_CODEC_PRIVATE:
        track.codecPrivate = reader.binaryValue();
        break;
      case ID_DEFAULT_DURATION:
        track.defaultDurationNs = reader.unsignedValue();
        if (track.defaultDurationNs < 0) {
          throw MediaFormatException.malformed("DefaultDuration is out of range");
        }
        break;
      default:
        break;
    }
  }

  private void onTrackDetailValue(EbmlReader reader, int id) throws MediaFormatException {
    switch (id) {
      case ID_PIXEL_WIDTH:
        track.pixelWidth = intValue(reader, "PixelWidth");
        break;
      case ID_PIXEL_HEIGHT:
        track.pixelHeight = intValue(reader, "PixelHeight");
        break;
      case ID_SAMPLING_FREQUENCY:
        track.samplingFrequencyHz = reader.floatValue();
        break;
      case ID_CHANNELS:
        track.channels = intValue(reader, "Channels");
        break;
      case ID_BIT_DEPTH:
        track.bitDepth = intValue(reader, "BitDepth");
        break;
      default:
        break;
    }
  }

  void onEnd(EbmlReader reader) throws MediaFormatException {
    int id = reader.elementId();
    if (id == ID_EBML && reader.level() == 0) {
      if (!DOC_TYPE_MATROSKA.equals(docType) && !DOC_TYPE_WEBM.equals(docType)) {
        throw MediaFormatException.malformed("DocType '" + docType + "' is not matroska or webm");
      }
    } else if (id == ID_TRACK_ENTRY && track != null) {
      endTrackEntry();
    }
  }

  private void endTrackEntry() throws MediaFormatException {
    TrackFields t = track;
    track = null;
    if (t.trackNumber <= 0) {
      throw MediaFormatException.malformed("TrackEntry has no valid TrackNumber");
    }
    for (TrackInfo existing : tracks) {
      if (existing.trackNumber() == t.trackNumber) {
        throw MediaFormatException.malformed("TrackNumber " + t.trackNumber + " is declared twice");
      }
    }
    tracks.add(new TrackInfo(t.trackNumber, t.trackType, t.codecId, t.codecPrivate,
        t.defaultDurationNs, t.pixelWidth, t.pixelHeight, t.samplingFrequencyHz, t.channels,
        t.bitDepth));
  }

  /** The header made of the first {@code headerLength} body bytes. */
  MkvHeader build(long headerLength) throws MediaFormatException {
    if (headerLength > limits.maxHeaderBytes() || headerLength > rawLength) {
      throw MediaFormatException.malformed(
          "MKV header is longer than " + limits.maxHeaderBytes() + " bytes");
    }
    return new MkvHeader(
        Arrays.copyOf(raw, (int) headerLength), timecodeScaleNs, List.copyOf(tracks));
  }

  private static int intValue(EbmlReader reader, String name) throws MediaFormatException {
    long v = reader.unsignedValue();
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw MediaFormatException.malformed(name + " " + Long.toUnsignedString(v) + " is out of range");
    }
    return (int) v;
  }

  /** Fields of the TrackEntry being read, with the Matroska defaults. */
  private static final class TrackFields {
    int trackNumber;
    int trackType;
    String codecId = "";
    byte[] codecPrivate = new byte[0];
    long defaultDurationNs;
    int pixelWidth;
    int pixelHeight;
    double samplingFrequencyHz;
    int channels;
    int bitDepth;
  }
}
