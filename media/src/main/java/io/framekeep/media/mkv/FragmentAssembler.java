package io.framekeep.media.mkv;

import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import java.nio.ByteBuffer;

/**
 * Turns the Clusters of a PutMedia body into fragments for a {@link MkvIngestParser.Listener}:
 * forwards each Cluster's bytes as they arrive, builds its {@link FrameTable} from the block
 * headers, and enforces the per-fragment KVS rules (4001 size, 4002 duration, 4004 timecode order,
 * 4010 undeclared track). Only the bytes a Cluster carries before its Timecode are held back
 * (bounded); the rest is passed through. Not thread-safe.
 */
final class FragmentAssembler {
  /**
   * Most Cluster bytes held until the Timecode is read: the Cluster header (12), a CRC-32 (6),
   * Position or PrevSize (up to 10 each) and a short Void. Writers put Timecode first in practice.
   */
  static final int MAX_BYTES_BEFORE_TIMECODE = 4096;
  private static final int ACK_MAX_FRAGMENT_SIZE_REACHED = 4001;
  private static final int ACK_MAX_FRAGMENT_DURATION_REACHED = 4002;
  private static final int ACK_FRAGMENT_TIMECODE_LESSER_THAN_PREVIOUS = 4004;
  private static final int ACK_TRACK_NUMBER_MISMATCH = 4010;

  private final MkvIngestParser.Listener listener;
  private final IngestLimits limits;
  private MkvHeader header;
  private long maxSpanTicks;

  private boolean inCluster;
  private long clusterStart;
  private long fragmentBytes;
  private boolean timecodeRead;
  private boolean hasPreviousTimecode;
  private long previousTimecodeTicks;
  private byte[] pending;
  private int pendingLength;
  private FrameTable.Builder frames;
  private long minTimeTicks;
  private long maxEndTicks;

  private final BlockHeaderReader block = new BlockHeaderReader();
  private boolean blockOpen;
  private long blockDataStart;
  private boolean groupOpen;
  private boolean groupHasBlock;
  private boolean groupReferenced;
  private long groupDurationTicks;

  FragmentAssembler(MkvIngestParser.Listener listener, IngestLimits limits) {
    this.listener = listener;
    this.limits = limits;
  }

  /** Called once with the header before the first Cluster. */
  void begin(MkvHeader header) {
    this.header = header;
    // A span of more ticks than this exceeds maxFragmentDurationNs (floor keeps it exact).
    this.maxSpanTicks = limits.maxFragmentDurationNs() / header.timecodeScaleNs();
  }

  /** Heap bytes held for the current Cluster: its frame table and the bytes before its Timecode. */
  long retainedBytes() {
    return (frames == null ? 0 : frames.capacityBytes()) + (pending == null ? 0 : pending.length);
  }

  boolean inCluster() {
    return inCluster;
  }

  boolean blockOpen() {
    return blockOpen;
  }

  void startCluster(long startPosition, int headerSize, long dataSize, ByteBuffer headerBytes)
      throws MediaFormatException {
    clusterStart = startPosition;
    if (dataSize >= 0 && headerSize + dataSize > limits.maxFragmentBytes()) {
      throw tooLarge("declares " + (headerSize + dataSize) + " bytes");
    }
    inCluster = true;
    fragmentBytes = 0;
    timecodeRead = false;
    pendingLength = 0;
    frames = null;
    minTimeTicks = Long.MAX_VALUE;
    maxEndTicks = Long.MIN_VALUE;
    bytes(headerBytes);
  }

  /** Raw bytes of the current Cluster, in order. */
  void bytes(ByteBuffer slice) throws MediaFormatException {
    int n = slice.remaining();
    fragmentBytes += n;
    if (fragmentBytes > limits.maxFragmentBytes()) {
      throw tooLarge("grows beyond the limit");
    }
    if (timecodeRead) {
      listener.onFragmentBytes(slice);
      return;
    }
    if (pendingLength + n > MAX_BYTES_BEFORE_TIMECODE) {
      throw MediaFormatException.malformed("Cluster at offset " + clusterStart + " has more than "
          + MAX_BYTES_BEFORE_TIMECODE + " bytes before its Timecode");
    }
    if (pending == null) {
      pending = new byte[MAX_BYTES_BEFORE_TIMECODE];
    }
    slice.get(pending, pendingLength, n);
    pendingLength += n;
  }

  void timecode(long timecodeTicks) throws MediaFormatException {
    if (timecodeRead) {
      throw MediaFormatException.malformed("Cluster at offset " + clusterStart + " has two Timecodes");
    }
    if (timecodeTicks < 0) {
      throw MediaFormatException.malformed("Cluster Timecode " + Long.toUnsignedString(timecodeTicks)
          + " is out of range");
    }
    if (hasPreviousTimecode && timecodeTicks < previousTimecodeTicks) {
      throw MediaFormatException.ingestRejected(ACK_FRAGMENT_TIMECODE_LESSER_THAN_PREVIOUS,
          "Cluster Timecode " + timecodeTicks + " is lower than the previous " + previousTimecodeTicks);
    }
    hasPreviousTimecode = true;
    previousTimecodeTicks = timecodeTicks;
    timecodeRead = true;
    frames = new FrameTable.Builder(header.timecodeScaleNs(), timecodeTicks);
    listener.onFragmentStart(timecodeTicks);
    listener.onFragmentBytes(ByteBuffer.wrap(pending, 0, pendingLength).asReadOnlyBuffer());
    pendingLength = 0;
  }

  void startSimpleBlock(long dataSize, long dataStart) throws MediaFormatException {
    requireTimecode();
    startBlock(dataSize, dataStart);
  }

  void startBlockGroup() throws MediaFormatException {
    requireTimecode();
    groupOpen = true;
    groupHasBlock = false;
    groupReferenced = false;
    groupDurationTicks = 0;
  }

  void startGroupBlock(long dataSize, long dataStart) throws MediaFormatException {
    if (groupHasBlock) {
      throw MediaFormatException.malformed("BlockGroup at offset " + dataStart + " has two Blocks");
    }
    groupHasBlock = true;
    startBlock(dataSize, dataStart);
  }

  private void startBlock(long dataSize, long dataStart) {
    block.start(dataSize);
    blockOpen = true;
    blockDataStart = dataStart;
  }

  void blockBytes(ByteBuffer slice) throws MediaFormatException {
    block.consume(slice);
  }

  /** End of a SimpleBlock, or of the Block of a BlockGroup. */
  void endBlock(boolean simple) throws MediaFormatException {
    blockOpen = false;
    if (!block.isComplete()) {
      throw MediaFormatException.malformed("block at offset " + blockDataStart + " is too short");
    }
    long track = block.trackNumber();
    if (header.track(track) == null) {
      throw MediaFormatException.ingestRejected(ACK_TRACK_NUMBER_MISMATCH,
          "block track number " + track + " is not declared in Tracks");
    }
    if (simple) {
      addFrames((block.flags() & 0x80) != 0, 0);
    }
  }

  void blockDuration(long durationTicks) throws MediaFormatException {
    if (durationTicks < 0 || durationTicks > Integer.MAX_VALUE) {
      throw MediaFormatException.malformed("BlockDuration " + Long.toUnsignedString(durationTicks)
          + " is out of range");
    }
    groupDurationTicks = durationTicks;
  }

  void referenceBlock() {
    groupReferenced = true;
  }

  void endBlockGroup() throws MediaFormatException {
    groupOpen = false;
    if (!groupHasBlock) {
      throw MediaFormatException.malformed("BlockGroup in Cluster at offset " + clusterStart
          + " has no Block");
    }
    addFrames(!groupReferenced, (int) groupDurationTicks);
  }

  boolean groupOpen() {
    return groupOpen;
  }

  private void addFrames(boolean keyFrame, int durationTicks) throws MediaFormatException {
    int relative = block.relativeTimecode();
    long offset = blockDataStart - clusterStart + block.headerLength();
    for (int i = 0; i < block.frameCount(); i++) {
      if (frames.size() >= FrameTable.MAX_FRAMES) {
        throw MediaFormatException.malformed("Cluster at offset " + clusterStart + " has more than "
            + FrameTable.MAX_FRAMES + " frames");
      }
      long size = block.frameSize(i);
      // Offsets and sizes fit in an int: the whole cluster is within maxFragmentBytes.
      frames.add((int) block.trackNumber(), keyFrame, relative, (int) offset, (int) size, durationTicks);
      offset += size;
    }
    minTimeTicks = Math.min(minTimeTicks, relative);
    maxEndTicks = Math.max(maxEndTicks, (long) relative + durationTicks);
    if (maxEndTicks - minTimeTicks > maxSpanTicks) {
      throw MediaFormatException.ingestRejected(ACK_MAX_FRAGMENT_DURATION_REACHED,
          "fragment at Cluster Timecode " + previousTimecodeTicks + " lasts more than "
              + limits.maxFragmentDurationNs() + " ns");
    }
  }

  void endCluster() throws MediaFormatException {
    inCluster = false;
    if (!timecodeRead) {
      throw MediaFormatException.malformed("Cluster at offset " + clusterStart + " has no Timecode");
    }
    listener.onFragmentEnd(frames.build(), fragmentBytes);
    frames = null;
  }

  private void requireTimecode() throws MediaFormatException {
    if (!timecodeRead) {
      throw MediaFormatException.malformed("Cluster at offset " + clusterStart
          + " has a block before its Timecode");
    }
  }

  private MediaFormatException tooLarge(String what) {
    return MediaFormatException.ingestRejected(ACK_MAX_FRAGMENT_SIZE_REACHED, "fragment at offset "
        + clusterStart + " " + what + " (limit " + limits.maxFragmentBytes() + " bytes)");
  }
}
