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
 * <p>Per-frame flags, decided at ingest so that GetClip needs nothing but this table: {@link
 * #FLAG_KEY_FRAME}; {@link #FLAG_ANNEX_B}, an H.264/H.265 frame whose NAL units use start codes and
 * must be rewritten to 4-byte length prefixes on the way out ({@link #convertedSize} is its size
 * after that); {@link #FLAG_INVALID}, a frame that cannot be parsed per its codec. The last two are
 * set by {@link FrameInspection}, never together.
 *
 * <p>Encoded form ({@link #encode()} writes version 2; {@link #decode} reads 1 and 2), all
 * integers unsigned LEB128 varints unless noted:
 *
 * <pre>
 *   u8      version = 2 (1 in tables written before flags bits 1 and 2 existed)
 *   varint  timecodeScaleNs
 *   zigzag  clusterTimecodeTicks
 *   varint  frameCount
 *   per frame:
 *     varint  trackNumber
 *     u8      flags: bit 0 key frame; version 2 only: bit 1 ANNEX_B, bit 2 INVALID;
 *             other bits 0
 *     zigzag  relativeTimeTicks
 *     varint  offset delta (offset minus the previous frame's offset + size)
 *     varint  size in bytes
 *     varint  durationTicks (0 = not declared)
 *     varint  convertedSize in bytes, &gt; 0 (version 2, only when bit 1 is set)
 * </pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class FrameTable {
  private static final int VERSION_1 = 1;
  private static final int VERSION = 2;
  /** Flag bit: the frame is a key frame (Matroska SimpleBlock keyframe flag). */
  public static final int FLAG_KEY_FRAME = 1;
  /** Flag bit: Annex-B start codes; {@link #convertedSize} is the length-prefixed size. */
  public static final int FLAG_ANNEX_B = 2;
  /** Flag bit: the frame cannot be parsed per its codec; GetClip refuses clips containing it. */
  public static final int FLAG_INVALID = 4;
  private static final int KNOWN_FLAGS_V1 = FLAG_KEY_FRAME;
  private static final int KNOWN_FLAGS_V2 = FLAG_KEY_FRAME | FLAG_ANNEX_B | FLAG_INVALID;
  /** Sanity bound on frames per fragment: 20 s of 1000 fps video plus audio fits easily. */
  public static final int MAX_FRAMES = 1 << 20;

  private final long timecodeScaleNs;
  private final long clusterTimecodeTicks;
  private final int count;
  private final int[] trackNumbers;
  private final byte[] flags;
  private final int[] relativeTimeTicks;
  private final int[] offsets;
  private final int[] sizes;
  private final int[] durationTicks;
  private final int[] convertedSizes;

  private FrameTable(Builder b) {
    this(b, false);
  }

  /**
   * A table of {@code b}'s frames. With {@code takeArrays}, for a builder nobody else holds and
   * whose arrays are exactly full (a decoded table), the arrays are taken instead of copied.
   */
  private FrameTable(Builder b, boolean takeArrays) {
    this.timecodeScaleNs = b.timecodeScaleNs;
    this.clusterTimecodeTicks = b.clusterTimecodeTicks;
    this.count = b.count;
    boolean take = takeArrays && b.trackNumbers.length == count;
    this.trackNumbers = take ? b.trackNumbers : Arrays.copyOf(b.trackNumbers, count);
    this.flags = take ? b.flags : Arrays.copyOf(b.flags, count);
    this.relativeTimeTicks = take ? b.relativeTimeTicks : Arrays.copyOf(b.relativeTimeTicks, count);
    this.offsets = take ? b.offsets : Arrays.copyOf(b.offsets, count);
    this.sizes = take ? b.sizes : Arrays.copyOf(b.sizes, count);
    this.durationTicks = take ? b.durationTicks : Arrays.copyOf(b.durationTicks, count);
    this.convertedSizes = take ? b.convertedSizes : Arrays.copyOf(b.convertedSizes, count);
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
    return (flags[i] & FLAG_KEY_FRAME) != 0;
  }

  /** All flag bits of frame {@code i}: {@link #FLAG_KEY_FRAME}, {@link #FLAG_ANNEX_B}, ... */
  public int flags(int i) {
    return flags[i];
  }

  /** Whether frame {@code i} uses Annex-B start codes and is converted when written to a clip. */
  public boolean isAnnexB(int i) {
    return (flags[i] & FLAG_ANNEX_B) != 0;
  }

  /** Whether frame {@code i} was found unparsable per its codec at ingest. */
  public boolean isInvalid(int i) {
    return (flags[i] & FLAG_INVALID) != 0;
  }

  /**
   * Size of frame {@code i} as it goes into a clip: for an Annex-B frame its size after conversion
   * to 4-byte length-prefixed NAL units, otherwise {@link #frameSize}.
   */
  public int convertedSize(int i) {
    return isAnnexB(i) ? convertedSizes[i] : sizes[i];
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
      out.write(flags[i]);
      writeVarint(out, zigzag(relativeTimeTicks[i]));
      writeVarint(out, zigzag(offsets[i] - previousEnd));
      writeVarint(out, sizes[i]);
      writeVarint(out, durationTicks[i]);
      if (isAnnexB(i)) {
        writeVarint(out, convertedSizes[i]);
      }
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
    if (version != VERSION_1 && version != VERSION) {
      throw MediaFormatException.malformed(
          "frame table version " + version + " is not " + VERSION_1 + " or " + VERSION);
    }
    int knownFlags = version == VERSION_1 ? KNOWN_FLAGS_V1 : KNOWN_FLAGS_V2;
    long timecodeScaleNs = r.varint();
    if (timecodeScaleNs < 0) {
      throw MediaFormatException.malformed("frame table timecode scale is out of range");
    }
    long clusterTimecodeTicks = unzigzag(r.varint());
    long frames = r.varint();
    // Each encoded frame takes at least 6 bytes, so the count is bounded by the blob length.
    // Varints of 64 bits read as negative longs: refused like any other out-of-range value.
    if (frames < 0 || frames > MAX_FRAMES || frames * 6 > encoded.length) {
      throw MediaFormatException.malformed("frame table declares " + frames + " frames");
    }
    // Sized once from the checked count: a clip decodes hundreds of tables before its first byte.
    Builder b = new Builder(timecodeScaleNs, clusterTimecodeTicks, (int) frames);
    long previousEnd = 0;
    for (int i = 0; i < frames; i++) {
      long track = r.varint();
      int flags = r.u8();
      long rel = unzigzag(r.varint());
      long offset = previousEnd + unzigzag(r.varint());
      long size = r.varint();
      long duration = r.varint();
      boolean annexB = (flags & FLAG_ANNEX_B) != 0;
      long converted = annexB ? r.varint() : 0;
      if (track < 0 || track > Integer.MAX_VALUE || rel < Integer.MIN_VALUE
          || rel > Integer.MAX_VALUE || offset < 0 || offset > Integer.MAX_VALUE || size < 0
          || size > Integer.MAX_VALUE || duration < 0 || duration > Integer.MAX_VALUE
          || converted < 0 || converted > Integer.MAX_VALUE) {
        throw MediaFormatException.malformed("frame table entry " + i + " is out of range");
      }
      if ((flags & ~knownFlags) != 0 || (annexB && (flags & FLAG_INVALID) != 0)
          || (annexB && converted == 0)) {
        throw MediaFormatException.malformed(
            "frame table entry " + i + " has flags " + flags + " (converted size " + converted + ")");
      }
      b.add((int) track, flags, (int) rel, (int) offset, (int) size, (int) duration,
          (int) converted);
      previousEnd = offset + size;
    }
    if (r.remaining() != 0) {
      throw MediaFormatException.malformed("frame table has " + r.remaining() + " trailing bytes");
    }
    return new FrameTable(b, true);
  }

  /** Accumulates frames in ingest order. Not thread-safe. */
  public static final class Builder {
    /** Six int arrays and one byte array hold one frame each. */
    public static final int BUILDER_BYTES_PER_FRAME = 6 * Integer.BYTES + 1;
    /**
     * The arrays double up to this many frames, then grow by this many (1.6 MB) at a time: the
     * most one added frame can grow the table by, so a caller charging {@link #capacityBytes}
     * between pieces of input is never more than that behind (plain doubling would let a table of
     * a million laced frames jump by 12.5 MB at once).
     */
    public static final int MAX_GROWTH_FRAMES = 64 * 1024;

    private final long timecodeScaleNs;
    private final long clusterTimecodeTicks;
    private int count;
    private int[] trackNumbers;
    private byte[] flags;
    private int[] relativeTimeTicks;
    private int[] offsets;
    private int[] sizes;
    private int[] durationTicks;
    private int[] convertedSizes;

    public Builder(long timecodeScaleNs, long clusterTimecodeTicks) {
      this(timecodeScaleNs, clusterTimecodeTicks, 64);
    }

    private Builder(long timecodeScaleNs, long clusterTimecodeTicks, int capacityFrames) {
      this.timecodeScaleNs = timecodeScaleNs;
      this.clusterTimecodeTicks = clusterTimecodeTicks;
      int n = Math.max(1, capacityFrames);
      trackNumbers = new int[n];
      flags = new byte[n];
      relativeTimeTicks = new int[n];
      offsets = new int[n];
      sizes = new int[n];
      durationTicks = new int[n];
      convertedSizes = new int[n];
    }

    /** Adds a frame with only the key-frame flag (as the ingest parser knows it). */
    public Builder add(
        int trackNumber,
        boolean keyFrame,
        int relativeTimeTicks,
        int offsetInFragment,
        int sizeBytes,
        int durationTicks) {
      return add(trackNumber, keyFrame ? FLAG_KEY_FRAME : 0, relativeTimeTicks, offsetInFragment,
          sizeBytes, durationTicks, 0);
    }

    /**
     * Adds a frame with explicit flags.
     *
     * @param flags a combination of {@link #FLAG_KEY_FRAME}, {@link #FLAG_ANNEX_B} and {@link
     *     #FLAG_INVALID} (the last two never together)
     * @param convertedSizeBytes with {@link #FLAG_ANNEX_B}, the size after conversion (at least 1);
     *     otherwise ignored
     * @throws IllegalArgumentException for unknown or contradictory flags, or an Annex-B frame
     *     without a converted size (caller bugs: decoded tables are checked before this)
     */
    public Builder add(
        int trackNumber,
        int flags,
        int relativeTimeTicks,
        int offsetInFragment,
        int sizeBytes,
        int durationTicks,
        int convertedSizeBytes) {
      boolean annexB = (flags & FLAG_ANNEX_B) != 0;
      if ((flags & ~KNOWN_FLAGS_V2) != 0 || (annexB && (flags & FLAG_INVALID) != 0)
          || (annexB && convertedSizeBytes <= 0)) {
        throw new IllegalArgumentException(
            "frame flags " + flags + " with converted size " + convertedSizeBytes);
      }
      if (count == trackNumbers.length) {
        int n = count + Math.min(count, MAX_GROWTH_FRAMES);
        trackNumbers = Arrays.copyOf(trackNumbers, n);
        this.flags = Arrays.copyOf(this.flags, n);
        this.relativeTimeTicks = Arrays.copyOf(this.relativeTimeTicks, n);
        offsets = Arrays.copyOf(offsets, n);
        sizes = Arrays.copyOf(sizes, n);
        this.durationTicks = Arrays.copyOf(this.durationTicks, n);
        convertedSizes = Arrays.copyOf(convertedSizes, n);
      }
      trackNumbers[count] = trackNumber;
      this.flags[count] = (byte) flags;
      this.relativeTimeTicks[count] = relativeTimeTicks;
      offsets[count] = offsetInFragment;
      sizes[count] = sizeBytes;
      this.durationTicks[count] = durationTicks;
      convertedSizes[count] = annexB ? convertedSizeBytes : 0;
      count++;
      return this;
    }

    public int size() {
      return count;
    }

    /**
     * Heap bytes the builder's arrays take now (their capacity, not their use), so callers can
     * charge a table that grows with the input before it grows further.
     */
    public long capacityBytes() {
      return (long) trackNumbers.length * BUILDER_BYTES_PER_FRAME;
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
