package io.framekeep.media.mkv;

import static io.framekeep.media.mkv.MatroskaIds.*;

import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.ebml.EbmlReader;
import java.nio.ByteBuffer;

/**
 * Turns a KVS PutMedia body (Matroska, arriving in arbitrary chunks) into its header and a
 * sequence of fragments, one per Cluster.
 *
 * <p>Accepted structure (spec 4.1): one EBML header with DocType matroska or webm, then one
 * Segment of known or unknown size. Everything before the first Cluster is the header
 * ({@link MkvHeader#rawBytes()}). Each Cluster, of known or unknown size, becomes a fragment whose
 * bytes are handed to the {@link Listener} as they arrive; an unknown-size Cluster ends at the next
 * level-1 element or at {@link #finish()}. Level-1 elements after the first Cluster other than
 * Clusters (Tags, Cues, SeekHead, Void, ...) are skipped; Info or Tracks there are refused
 * (KVS forbids track definitions outside the header). Global elements (Void, CRC-32) that follow
 * an unknown-size Cluster are, per EBML, its children and stay part of that fragment.
 *
 * <p>Memory: the header (at most {@link IngestLimits#maxHeaderBytes()}), the current fragment's
 * frame table and a few KiB of state, whatever the body length; frame data is never buffered.
 *
 * <p>Failure behaviour: every problem with the bytes raises {@link MediaFormatException}, with the
 * PutMedia ack ErrorId in {@link MediaFormatException#ackErrorId()}: 4006 for malformed input and
 * 4001, 4002, 4004, 4010, 4012 for the KVS rules (see {@link FragmentAssembler}). Exceptions thrown
 * by the listener propagate. After an exception the parser rethrows it on every call. Not
 * thread-safe: one parser per PutMedia request.
 */
public final class MkvIngestParser {
  /** Receives the header and the fragments, in body order, on the thread calling feed/finish. */
  public interface Listener {
    /** Once, just before the first Cluster: the header that preceded it. */
    void onHeader(MkvHeader header) throws MediaFormatException;

    /**
     * A Cluster started and its Timecode was read (ticks of the header's TimecodeScale). Called
     * before any onFragmentBytes of that cluster.
     */
    void onFragmentStart(long clusterTimecodeTicks) throws MediaFormatException;

    /**
     * Raw bytes of the current Cluster, in order, starting with the Cluster element ID itself;
     * concatenated over calls they are the cluster exactly as sent. The buffer is valid only
     * during the call.
     */
    void onFragmentBytes(ByteBuffer bytes) throws MediaFormatException;

    /**
     * The current Cluster is complete (next level-1 element, end of a known-size cluster, or
     * finish()). frames.offset(i) is relative to the first byte of the Cluster element ID.
     */
    void onFragmentEnd(FrameTable frames, long fragmentSizeBytes) throws MediaFormatException;
  }

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final EbmlReader reader = new EbmlReader(MatroskaSchema.INSTANCE);
  private final Listener listener;
  private final HeaderCollector header;
  private final FragmentAssembler fragments;
  private boolean ebmlSeen;
  private boolean segmentSeen;
  private boolean segmentEnded;
  private boolean headerPhase = true;
  private MediaFormatException failure;
  private boolean finished;

  public MkvIngestParser(Listener listener, IngestLimits limits) {
    this.listener = listener;
    this.header = new HeaderCollector(limits);
    this.fragments = new FragmentAssembler(listener, limits);
  }

  /** Consumes all remaining bytes of chunk (may be any size, even 1 byte). */
  public void feed(ByteBuffer chunk) throws MediaFormatException {
    if (finished && chunk.hasRemaining()) {
      throw new IllegalStateException("feed after finish");
    }
    if (failure != null) {
      throw failure;
    }
    try {
      drive(chunk);
    } catch (MediaFormatException e) {
      failure = e;
      throw e;
    }
  }

  /** End of the body: completes an open unknown-size cluster; a body cut inside an element is malformed. */
  public void finish() throws MediaFormatException {
    finished = true;
    reader.endOfInput();
    feed(EMPTY.duplicate());
    if (!segmentSeen) {
      failure = MediaFormatException.malformed("body holds no Matroska Segment");
      throw failure;
    }
  }

  /**
   * Heap bytes this parser holds now that grow with the input: the header being collected and the
   * current fragment's frame table. Both grow by at most a bounded factor of the bytes fed, so a
   * caller that checks this between feeds bounds them to within one feed's worth.
   */
  public long retainedBytes() {
    return (headerPhase ? header.retainedBytes() : 0) + fragments.retainedBytes();
  }

  /** Parses a stored header (as produced in MkvHeader.rawBytes) back into an MkvHeader. */
  public static MkvHeader parseHeader(byte[] rawHeader) throws MediaFormatException {
    MkvIngestParser parser = new MkvIngestParser(new HeaderOnlyListener(), IngestLimits.kvsDefaults());
    parser.feed(ByteBuffer.wrap(rawHeader));
    EbmlReader r = parser.reader;
    boolean insideSegment = r.depth() == 1 && r.openId(0) == ID_SEGMENT;
    if (!parser.headerPhase || !parser.segmentSeen || !r.atElementBoundary()
        || !(insideSegment || parser.segmentEnded)) {
      throw MediaFormatException.malformed("stored MKV header does not end before a Cluster");
    }
    return parser.header.build(rawHeader.length);
  }

  private void drive(ByteBuffer buffer) throws MediaFormatException {
    while (true) {
      boolean payload = reader.readingPayload();
      int before = buffer.position();
      EbmlReader.Event event = reader.read(buffer);
      int after = buffer.position();
      if (headerPhase) {
        header.appendRaw(buffer, before, after);
      } else if (payload && after > before && fragments.inCluster()) {
        if (event == EbmlReader.Event.PAYLOAD && fragments.blockOpen()) {
          fragments.blockBytes(slice(buffer, before, after));
        }
        fragments.bytes(slice(buffer, before, after));
      }
      switch (event) {
        case NEED_MORE_DATA:
        case END_OF_INPUT:
          return;
        case ELEMENT_START:
          onStart();
          break;
        case VALUE:
          onValue();
          break;
        case ELEMENT_END:
          onEnd();
          break;
        default:
          break;
      }
    }
  }

  private void onStart() throws MediaFormatException {
    int id = reader.elementId();
    int level = reader.level();
    if (level == 0) {
      onTopLevelStart(id);
      return;
    }
    if (id == ID_EBML || id == ID_SEGMENT) {
      throw MediaFormatException.malformed("a second EBML header or Segment at offset "
          + reader.elementStartPosition());
    }
    if (reader.openId(0) == ID_SEGMENT && level == 1) {
      onSegmentChildStart(id);
    } else if (fragments.inCluster()) {
      onClusterDescendantStart(id, level);
    } else if (headerPhase) {
      header.onStart(reader);
    }
  }

  private void onTopLevelStart(int id) throws MediaFormatException {
    if (!ebmlSeen) {
      if (id != ID_EBML) {
        throw MediaFormatException.malformed("body does not start with an EBML header");
      }
      ebmlSeen = true;
    } else if (id == ID_SEGMENT && !segmentSeen) {
      segmentSeen = true;
    } else if (id == ID_EBML || id == ID_SEGMENT) {
      throw MediaFormatException.malformed("a second EBML header or Segment at offset "
          + reader.elementStartPosition());
    } else {
      throw MediaFormatException.malformed("top-level element 0x" + Integer.toHexString(id)
          + " at offset " + reader.elementStartPosition() + " is not a Segment");
    }
  }

  private void onSegmentChildStart(int id) throws MediaFormatException {
    if (id == ID_CLUSTER) {
      if (headerPhase) {
        MkvHeader h = header.build(reader.elementStartPosition());
        headerPhase = false;
        fragments.begin(h);
        listener.onHeader(h);
      }
      fragments.startCluster(reader.elementStartPosition(), reader.headerSize(), reader.dataSize(),
          reader.headerBytes());
    } else if (!headerPhase && (id == ID_INFO || id == ID_TRACKS)) {
      throw MediaFormatException.malformed("header element 0x" + Integer.toHexString(id)
          + " at offset " + reader.elementStartPosition() + " follows a Cluster");
    }
  }

  private void onClusterDescendantStart(int id, int level) throws MediaFormatException {
    fragments.bytes(reader.headerBytes());
    if (level == 2 && id == ID_SIMPLE_BLOCK) {
      fragments.startSimpleBlock(reader.dataSize(), reader.position());
    } else if (level == 2 && id == ID_BLOCK_GROUP) {
      fragments.startBlockGroup();
    } else if (level == 3 && fragments.groupOpen() && id == ID_BLOCK) {
      fragments.startGroupBlock(reader.dataSize(), reader.position());
    } else if (level == 3 && fragments.groupOpen() && id == ID_REFERENCE_BLOCK) {
      fragments.referenceBlock();
    }
  }

  private void onValue() throws MediaFormatException {
    if (headerPhase) {
      header.onValue(reader);
    } else if (fragments.inCluster()) {
      int id = reader.elementId();
      int level = reader.level();
      if (level == 2 && id == ID_TIMECODE) {
        fragments.timecode(reader.unsignedValue());
      } else if (level == 3 && fragments.groupOpen() && id == ID_BLOCK_DURATION) {
        fragments.blockDuration(reader.unsignedValue());
      }
    }
  }

  private void onEnd() throws MediaFormatException {
    int id = reader.elementId();
    int level = reader.level();
    if (level == 0 && id == ID_SEGMENT) {
      segmentEnded = true;
    } else if (level == 1 && id == ID_CLUSTER && fragments.inCluster()) {
      fragments.endCluster();
    } else if (fragments.inCluster()) {
      if (level == 2 && id == ID_SIMPLE_BLOCK) {
        fragments.endBlock(true);
      } else if (level == 3 && fragments.blockOpen() && id == ID_BLOCK) {
        fragments.endBlock(false);
      } else if (level == 2 && id == ID_BLOCK_GROUP) {
        fragments.endBlockGroup();
      }
    } else if (headerPhase) {
      header.onEnd(reader);
    }
  }

  /** Listener for {@link #parseHeader}: a stored header must not contain a Cluster. */
  private static final class HeaderOnlyListener implements Listener {
    @Override
    public void onHeader(MkvHeader header) throws MediaFormatException {
      throw MediaFormatException.malformed("stored MKV header contains a Cluster");
    }

    @Override
    public void onFragmentStart(long clusterTimecodeTicks) {}

    @Override
    public void onFragmentBytes(ByteBuffer bytes) {}

    @Override
    public void onFragmentEnd(FrameTable frames, long fragmentSizeBytes) {}
  }

  private static ByteBuffer slice(ByteBuffer buffer, int from, int to) {
    return buffer.duplicate().position(from).limit(to).slice().asReadOnlyBuffer();
  }
}
