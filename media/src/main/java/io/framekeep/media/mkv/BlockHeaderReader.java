package io.framekeep.media.mkv;

import io.framekeep.media.MediaFormatException;
import java.nio.ByteBuffer;

/**
 * Resumable reader of the header of a Matroska {@code SimpleBlock} or {@code Block} payload:
 *
 * <pre>
 *   varint  track number (EBML-coded, 1 to 8 bytes)
 *   int16   timecode relative to the Cluster Timecode (big-endian, signed)
 *   u8      flags (0x80 key frame in SimpleBlock; bits 0x06 lacing: 0 none, 1 Xiph, 2 fixed, 3 EBML)
 *   u8      number of frames - 1                         (laced blocks only)
 *   ...     sizes of all frames but the last             (Xiph and EBML lacing only)
 * </pre>
 *
 * <p>Bytes are fed in any pieces; once the header is complete the frames' sizes are known from the
 * block's data size and the remaining bytes (frame data) are ignored. Frame data is never read or
 * buffered. Not thread-safe; one instance is reused for every block.
 */
final class BlockHeaderReader {
  /** The lace count byte holds frames - 1, so a block carries at most 256 frames. */
  static final int MAX_FRAMES_PER_BLOCK = 256;

  private static final int LACING_NONE = 0;
  private static final int LACING_XIPH = 1;
  private static final int LACING_FIXED = 2;
  private static final int LACING_EBML = 3;

  private enum State { TRACK, TIMECODE, FLAGS, LACE_COUNT, LACE_SIZES, DONE }

  private State state;
  private long dataSize;
  private int headerLength;

  private int varintLength;
  private int varintRead;
  private long varintValue;

  private long trackNumber;
  private int relativeTimecode;
  private int timecodeBytes;
  private int flags;
  private int lacing;
  private int frameCount;
  private final long[] frameSizes = new long[MAX_FRAMES_PER_BLOCK];
  private int sizesRead;
  private long laceAccumulator;
  private long laceSum;

  /** Starts a new block whose payload is {@code dataSize} bytes. */
  void start(long dataSize) {
    this.dataSize = dataSize;
    state = State.TRACK;
    headerLength = 0;
    varintRead = 0;
    varintValue = 0;
    timecodeBytes = 0;
    relativeTimecode = 0;
    sizesRead = 0;
    laceAccumulator = 0;
    laceSum = 0;
  }

  /** Consumes payload bytes (all of them: bytes after the header are skipped). */
  void consume(ByteBuffer bytes) throws MediaFormatException {
    while (state != State.DONE && bytes.hasRemaining()) {
      int b = bytes.get() & 0xFF;
      headerLength++;
      switch (state) {
        case TRACK:
          if (readVarint(b)) {
            trackNumber = varintValue;
            state = State.TIMECODE;
          }
          break;
        case TIMECODE:
          relativeTimecode = (relativeTimecode << 8) | b;
          if (++timecodeBytes == 2) {
            relativeTimecode = (short) relativeTimecode;
            state = State.FLAGS;
          }
          break;
        case FLAGS:
          flags = b;
          lacing = (b >> 1) & 3;
          if (lacing == LACING_NONE) {
            frameCount = 1;
            completeHeader();
          } else {
            state = State.LACE_COUNT;
          }
          break;
        case LACE_COUNT:
          frameCount = b + 1;
          if (lacing == LACING_FIXED || frameCount == 1) {
            completeHeader();
          } else {
            state = State.LACE_SIZES;
          }
          break;
        default:
          readLaceSizeByte(b);
          break;
      }
    }
  }

  private void readLaceSizeByte(int b) throws MediaFormatException {
    if (lacing == LACING_XIPH) {
      laceAccumulator += b;
      if (b != 0xFF) {
        addLaceSize(laceAccumulator);
        laceAccumulator = 0;
      }
    } else if (readVarint(b)) {
      long size = varintValue;
      if (sizesRead > 0) {
        // Later EBML lace sizes are signed differences from the previous size.
        long bias = (1L << (7 * varintLength - 1)) - 1;
        size = frameSizes[sizesRead - 1] + (varintValue - bias);
      }
      addLaceSize(size);
    }
    if (laceSum > dataSize) {
      throw MediaFormatException.malformed("laced block sizes exceed the block's " + dataSize + " bytes");
    }
  }

  private void addLaceSize(long size) throws MediaFormatException {
    if (size < 0) {
      throw MediaFormatException.malformed("laced block has a negative frame size");
    }
    frameSizes[sizesRead++] = size;
    laceSum += size;
    if (sizesRead == frameCount - 1) {
      completeHeader();
    }
  }

  /** Reads one byte of an EBML varint; true when the varint is complete. */
  private boolean readVarint(int b) throws MediaFormatException {
    if (varintRead == 0) {
      if (b == 0) {
        throw MediaFormatException.malformed("block header has an invalid varint");
      }
      varintLength = Integer.numberOfLeadingZeros(b) - 23;
      varintValue = b & (0xFF >> varintLength);
    } else {
      varintValue = (varintValue << 8) | b;
    }
    if (++varintRead == varintLength) {
      varintRead = 0;
      return true;
    }
    return false;
  }

  private void completeHeader() throws MediaFormatException {
    long dataBytes = dataSize - headerLength;
    if (lacing == LACING_FIXED || lacing == LACING_NONE) {
      if (dataBytes % frameCount != 0) {
        throw MediaFormatException.malformed(
            "fixed-size laced block of " + dataBytes + " bytes cannot hold " + frameCount + " equal frames");
      }
      for (int i = 0; i < frameCount; i++) {
        frameSizes[i] = dataBytes / frameCount;
      }
    } else {
      long last = dataBytes - laceSum;
      if (last < 0) {
        throw MediaFormatException.malformed("laced block sizes exceed the block's " + dataSize + " bytes");
      }
      frameSizes[frameCount - 1] = last;
    }
    state = State.DONE;
  }

  /** Whether the whole header has been read. */
  boolean isComplete() {
    return state == State.DONE;
  }

  long trackNumber() {
    return trackNumber;
  }

  /** Signed 16-bit timecode relative to the Cluster Timecode, in TimecodeScale ticks. */
  int relativeTimecode() {
    return relativeTimecode;
  }

  int flags() {
    return flags;
  }

  /** Bytes of the block header: the first frame starts this many bytes into the payload. */
  int headerLength() {
    return headerLength;
  }

  int frameCount() {
    return frameCount;
  }

  long frameSize(int i) {
    return frameSizes[i];
  }
}
