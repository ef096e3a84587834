package io.framekeep.media.codec;

import io.framekeep.media.MediaFormatException;

/**
 * Big-endian bit cursor over a byte array, with the unsigned/signed exp-Golomb codes of
 * ITU-T H.264 §9.1. Every read is bounds-checked and raises {@link MediaFormatException} (built
 * by the factory passed in) when the data runs out, so callers driven by stream bytes never see an
 * unchecked exception. Not thread-safe.
 */
final class BitReader {
  /** Exp-Golomb codes with more leading zeros would not fit the 32-bit values H.264 allows. */
  private static final int MAX_EXP_GOLOMB_LEADING_ZEROS = 31;

  private final byte[] data;
  private final String what;
  private long bitPosition;

  /**
   * @param data the bytes to read
   * @param what names the structure in error messages, e.g. "AVC SPS"
   */
  BitReader(byte[] data, String what) {
    this.data = data;
    this.what = what;
  }

  long bitsLeft() {
    return (long) data.length * 8 - bitPosition;
  }

  boolean readFlag() throws MediaFormatException {
    return readBits(1) == 1;
  }

  /** Reads up to 32 bits as an unsigned value. */
  long readBits(int count) throws MediaFormatException {
    if (count < 0 || count > 32) {
      throw new IllegalArgumentException("bit count " + count);
    }
    if (bitsLeft() < count) {
      throw MediaFormatException.invalidCodecPrivateData(what + " is truncated");
    }
    long value = 0;
    for (int i = 0; i < count; i++) {
      int b = data[(int) (bitPosition >>> 3)] & 0xFF;
      int bit = (b >>> (7 - (int) (bitPosition & 7))) & 1;
      value = (value << 1) | bit;
      bitPosition++;
    }
    return value;
  }

  void skipBits(int count) throws MediaFormatException {
    if (bitsLeft() < count) {
      throw MediaFormatException.invalidCodecPrivateData(what + " is truncated");
    }
    bitPosition += count;
  }

  /** ue(v): unsigned exp-Golomb. */
  long readUe() throws MediaFormatException {
    int leadingZeros = 0;
    while (readBits(1) == 0) {
      leadingZeros++;
      if (leadingZeros > MAX_EXP_GOLOMB_LEADING_ZEROS) {
        throw MediaFormatException.invalidCodecPrivateData(
            what + " has an exp-Golomb code longer than 32 bits");
      }
    }
    return ((1L << leadingZeros) - 1) + readBits(leadingZeros);
  }

  /** se(v): signed exp-Golomb. */
  long readSe() throws MediaFormatException {
    long k = readUe();
    return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
  }
}
