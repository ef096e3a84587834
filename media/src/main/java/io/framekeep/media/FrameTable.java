package io.framekeep.media;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The frames of one fragment (one Matroska Cluster), in the order they were ingested, with where
 * each frame's bytes lie inside the stored fragment payload.
 *
 * <p>This is what storage keeps beside each fragment's opaque payload so that a clip's sample
 * tables can be computed from the index alone, without reading media bytes. Timestamps are in the
 * fragment's own Matroska ticks ({@link #timecodeScaleNs()} nanoseconds each): a frame's
 * presentation time is {@code clusterTimecodeTicks + relativeTimeTicks(i)}.
 *
 * <p>Encoded form ({@link #encode()}), all integers unsigned LEB128 varints unless noted:
 *
 * <pre>
 *   u8      version = 1
 *   varint  timecodeScaleNs
 *   zigzag  clusterTimecodeTicks
 *   varint  frameCount
 *   per frame:
 *     varint  trackNumber
 *     u8      flags (bit 0 = key frame)
 *     zigzag  relativeTimeTicks
 *     varint  offset delta (offset minus the previous frame's offset + size)
 *     varint  size in bytes
 *     varint  durationTicks (0 = not declared)
 * </pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class FrameTable {
  private static final int VERSION = 1;
  /** Sanity bound on frames per fragment: 20 s of 1000 fps video plus audio fits easily. */
  public static final int MAX_FRAMES = 1 << 20;

  private final long timecodeScaleNs;
  private final long clusterTimecodeTicks;
  private final int count;
  private final int[] trackNumbers;
  private final boolean[] keyFrames;
  private final int[] relativeTimeTicks;
  private final int[] offsets;
  private final int[] sizes;
  private final int[] durationTicks;

  private FrameTable(Builder b) {
    this.timecodeScaleNs = b.timecodeScaleNs;
    this.clusterTimecodeTicks = b.clusterTimecodeTicks;
    this.count = b.count;
    this.trackNumbers = Arrays.copyOf(b.trackNumbers, count);
    this.keyFrames = Arrays.copyOf(b.keyFrames, count);
    this.relativeTimeTicks = Arrays.copyOf(b.relativeTimeTicks, count);
    this.offsets = Arrays.copyOf(b.offsets, count);
    this.sizes = Arrays.copyOf(b.sizes, count);
    this.durationTicks = Arrays.copyOf(b.durationTicks, count);
  }

  public long timecodeScaleNs() {
    return timecodeScaleNs;
  }

  public long clusterTimecodeTicks() {
    return clusterTimecodeTicks;
  }

  public int size() {
    return count;
  }

  public int trackNumber(int i) {
    return trackNumbers[i];
  }

  public boolean isKeyFrame(int i) {
    return keyFrames[i];
  }

  public int relativeTimeTicks(int i) {
    return relativeTimeTicks[i];
  }

  /** Absolute presentation time of frame {@code i} in ticks. */
  public long timeTicks(int i) {
    return clusterTimecodeTicks + relativeTimeTicks[i];
  }

  /** Absolute presentation time of frame {@code i} in nanoseconds. */
  public long timeNs(int i) {
    return timeTicks(i) * timecodeScaleNs;
  }

  /** Offset of the frame's first byte from the first byte of the stored fragment payload. */
  public int offset(int i) {
    return offsets[i];
  }

  public int frameSize(int i) {
    return sizes[i];
  }

  /** Declared duration in ticks (BlockDuration), or 0 when the block did not declare one. */
  public int durationTicks(int i) {
    return durationTicks[i];
  }

  /** Serialises this table in the format described in the class comment. */
  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 + count * 8);
    out.write(VERSION);
    writeVarint(out, timecodeScaleNs);
    writeVarint(out, zigzag(clusterTimecodeTicks));
    writeVarint(out, count);
    long previousEnd = 0;
    for (int i = 0; i < count; i++) {
      writeVarint(out, trackNumbers[i]);
      out.write(keyFrames[i] ? 1 : 0);
      writeVarint(out, zigzag(relativeTimeTicks[i]));
      writeVarint(out, zigzag(offsets[i] - previousEnd));
      writeVarint(out, sizes[i]);
      writeVarint(out, durationTicks[i]);
      previousEnd = (long) offsets[i] + sizes[i];
    }
    return out.toByteArray();
  }

  /**
   * Parses the encoded form. Every count and value is bounds-checked before use, so a corrupt blob
   * raises {@link MediaFormatException} rather than allocating or indexing out of range.
   */
  public static FrameTable decode(byte[] encoded) throws MediaFormatException {
    Reader r = new Reader(encoded);
    int version = r.u8();
    if (version != VERSION) {
      throw MediaFormatException.malformed("frame table version " + version + " is not " + VERSION);
    }
    Builder b = new Builder(r.varint(), unzigzag(r.varint()));
    long frames = r.varint();
    // Each encoded frame takes at least 6 bytes, so the count is bounded by the blob length.
    if (frames > MAX_FRAMES || frames * 6 > encoded.length) {
      throw MediaFormatException.malformed("frame table declares " + frames + " frames");
    }
    long previousEnd = 0;
    for (int i = 0; i < frames; i++) {
      long track = r.varint();
      boolean key = (r.u8() & 1) != 0;
      long rel = unzigzag(r.varint());
      long offset = previousEnd + unzigzag(r.varint());
      long size = r.varint();
      long duration = r.varint();
      if (track > Integer.MAX_VALUE || rel < Integer.MIN_VALUE || rel > Integer.MAX_VALUE
          || offset < 0 || offset > Integer.MAX_VALUE || size > Integer.MAX_VALUE
          || duration > Integer.MAX_VALUE) {
        throw MediaFormatException.malformed("frame table entry " + i + " is out of range");
      }
      b.add((int) track, key, (int) rel, (int) offset, (int) size, (int) duration);
      previousEnd = offset + size;
    }
    if (r.remaining() != 0) {
      throw MediaFormatException.malformed("frame table has " + r.remaining() + " trailing bytes");
    }
    return b.build();
  }

  /** Accumulates frames in ingest order. Not thread-safe. */
  public static final class Builder {
    private final long timecodeScaleNs;
    private final long clusterTimecodeTicks;
    private int count;
    private int[] trackNumbers = new int[64];
    private boolean[] keyFrames = new boolean[64];
    private int[] relativeTimeTicks = new int[64];
    private int[] offsets = new int[64];
    private int[] sizes = new int[64];
    private int[] durationTicks = new int[64];

    public Builder(long timecodeScaleNs, long clusterTimecodeTicks) {
      this.timecodeScaleNs = timecodeScaleNs;
      this.clusterTimecodeTicks = clusterTimecodeTicks;
    }

    public Builder add(
        int trackNumber,
        boolean keyFrame,
        int relativeTimeTicks,
        int offsetInFragment,
        int sizeBytes,
        int durationTicks) {
      if (count == trackNumbers.length) {
        int n = count * 2;
        trackNumbers = Arrays.copyOf(trackNumbers, n);
        keyFrames = Arrays.copyOf(keyFrames, n);
        this.relativeTimeTicks = Arrays.copyOf(this.relativeTimeTicks, n);
        offsets = Arrays.copyOf(offsets, n);
        sizes = Arrays.copyOf(sizes, n);
        this.durationTicks = Arrays.copyOf(this.durationTicks, n);
      }
      trackNumbers[count] = trackNumber;
      keyFrames[count] = keyFrame;
      this.relativeTimeTicks[count] = relativeTimeTicks;
      offsets[count] = offsetInFragment;
      sizes[count] = sizeBytes;
      this.durationTicks[count] = durationTicks;
      count++;
      return this;
    }

    public int size() {
      return count;
    }

    public FrameTable build() {
      return new FrameTable(this);
    }
  }

  private static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  private static long unzigzag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  private static void writeVarint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  /** Bounds-checked cursor over an encoded table. */
  private static final class Reader {
    private final byte[] bytes;
    private int position;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    int remaining() {
      return bytes.length - position;
    }

    int u8() throws MediaFormatException {
      if (position >= bytes.length) {
        throw MediaFormatException.malformed("frame table is truncated");
      }
      return bytes[position++] & 0xFF;
    }

    long varint() throws MediaFormatException {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = u8();
        value |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw MediaFormatException.malformed("frame table varint is longer than 64 bits");
    }
  }
}
