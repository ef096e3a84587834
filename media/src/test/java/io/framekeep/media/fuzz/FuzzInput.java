package io.framekeep.media.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How the streaming fuzz targets read their raw input: a 5-byte prefix that chooses how the body
 * is fed, then the body itself.
 *
 * <pre>
 *   u8      mode: bit 0 target-specific switch, bits 1-2 split style, bit 3 target-specific switch
 *   u32     split seed (big-endian)
 *   ...     body
 * </pre>
 *
 * <p>Split styles: 0 whole buffer, 1 byte by byte, 2 random pieces of 1 to 8 bytes, 3 random
 * pieces of 0 to 600 bytes (empty pieces included, as a socket read may return nothing). Inputs
 * shorter than the prefix are read as an all-zero prefix and that many body bytes, so no input is
 * wasted. Seed files are written with {@link #encode}.
 */
record FuzzInput(int mode, int splitSeed, byte[] body) {
  static final int PREFIX_BYTES = 5;
  static final int STYLE_WHOLE = 0;
  static final int STYLE_BYTE_BY_BYTE = 1;
  static final int STYLE_SMALL_PIECES = 2;
  static final int STYLE_LARGE_PIECES = 3;
  /** Largest random piece of style 3: longer than any element header, shorter than most seeds. */
  private static final int MAX_LARGE_PIECE_BYTES = 600;
  private static final int MAX_SMALL_PIECE_BYTES = 8;

  static FuzzInput of(byte[] data) {
    if (data.length < PREFIX_BYTES) {
      return new FuzzInput(0, 0, data);
    }
    int seed = ((data[1] & 0xFF) << 24) | ((data[2] & 0xFF) << 16) | ((data[3] & 0xFF) << 8)
        | (data[4] & 0xFF);
    return new FuzzInput(data[0] & 0xFF, seed, Arrays.copyOfRange(data, PREFIX_BYTES, data.length));
  }

  static byte[] encode(int mode, int splitSeed, byte[] body) {
    byte[] out = new byte[PREFIX_BYTES + body.length];
    out[0] = (byte) mode;
    out[1] = (byte) (splitSeed >>> 24);
    out[2] = (byte) (splitSeed >>> 16);
    out[3] = (byte) (splitSeed >>> 8);
    out[4] = (byte) splitSeed;
    System.arraycopy(body, 0, out, PREFIX_BYTES, body.length);
    return out;
  }

  boolean flag0() {
    return (mode & 1) != 0;
  }

  boolean flag3() {
    return (mode & 8) != 0;
  }

  int splitStyle() {
    return (mode >> 1) & 3;
  }

  /** Piece lengths that add up to the body length, per the split style and seed. */
  List<Integer> pieces() {
    int length = body.length;
    List<Integer> pieces = new ArrayList<>();
    switch (splitStyle()) {
      case STYLE_WHOLE:
        pieces.add(length);
        break;
      case STYLE_BYTE_BY_BYTE:
        for (int i = 0; i < length; i++) {
          pieces.add(1);
        }
        break;
      default:
        SplittableRandom random = new SplittableRandom(splitSeed);
        boolean small = splitStyle() == STYLE_SMALL_PIECES;
        int left = length;
        while (left > 0) {
          int n = small
              ? 1 + random.nextInt(MAX_SMALL_PIECE_BYTES)
              : random.nextInt(MAX_LARGE_PIECE_BYTES + 1);
          n = Math.min(n, left);
          pieces.add(n);
          left -= n;
        }
        break;
    }
    return pieces;
  }
}
