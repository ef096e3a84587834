package io.framekeep.media.kvs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The few EBML (RFC 8794) writing primitives a KVS chunk needs: element IDs, data sizes as
 * minimal-length varints, the unknown size, and UTF-8 string elements. Callers compute every
 * element's size with the {@code *Length} methods first and then write into a buffer of exactly
 * that size, so nothing is copied or resized while writing. Stateless.
 */
public final class EbmlWriter {
  /** The longest data size varint: EBMLMaxSizeLength 8 (the Matroska value). */
  public static final int MAX_SIZE_BYTES = 8;
  /**
   * Largest data size writable as a known size: an 8-byte varint holds 56 bits, and its all-ones
   * value is reserved for the unknown size.
   */
  public static final long MAX_KNOWN_SIZE = (1L << 56) - 2;
  /** The unknown size, written as an 8-byte all-ones varint as KVS producers do. */
  private static final byte[] UNKNOWN_SIZE = {
      0x01, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

  private EbmlWriter() {}

  /**
   * Bytes of an element ID. IDs are written as they are numbered in the specifications: their
   * value already carries the varint length marker (e.g. {@code 0x1A45DFA3} is 4 bytes).
   *
   * @throws IllegalArgumentException for a value that is not a valid ID (a caller bug)
   */
  public static int idLength(int id) {
    if ((id & 0xFFFFFF00) == 0 && (id & 0x80) != 0) {
      return 1;
    }
    if ((id & 0xFFFF0000) == 0 && (id & 0xC000) == 0x4000) {
      return 2;
    }
    if ((id & 0xFF000000) == 0 && (id & 0xE00000) == 0x200000) {
      return 3;
    }
    if ((id & 0xF0000000) == 0x10000000) {
      return 4;
    }
    throw new IllegalArgumentException("not an EBML element ID: 0x" + Integer.toHexString(id));
  }

  /** Bytes of the shortest varint holding {@code size} (never the reserved all-ones value). */
  public static int sizeLength(long size) {
    if (size < 0 || size > MAX_KNOWN_SIZE) {
      throw new IllegalArgumentException("EBML data size out of range: " + size);
    }
    int length = 1;
    // A length-n varint holds 7n bits; the all-ones value means "unknown", so it is skipped.
    while (size >= (1L << (7 * length)) - 1) {
      length++;
    }
    return length;
  }

  /** Total bytes of an element with a known-size payload of {@code payloadBytes}. */
  public static long elementLength(int id, long payloadBytes) {
    return idLength(id) + sizeLength(payloadBytes) + payloadBytes;
  }

  /** Total bytes of a string element holding {@code value} as UTF-8. */
  public static long stringElementLength(int id, String value) {
    return elementLength(id, utf8(value).length);
  }

  /** Bytes of an element header with the unknown size. */
  public static int unknownSizeHeaderLength(int id) {
    return idLength(id) + UNKNOWN_SIZE.length;
  }

  public static void putId(ByteBuffer out, int id) {
    for (int shift = 8 * (idLength(id) - 1); shift >= 0; shift -= 8) {
      out.put((byte) (id >>> shift));
    }
  }

  /** Writes {@code size} as the shortest varint. */
  public static void putSize(ByteBuffer out, long size) {
    int length = sizeLength(size);
    long value = size | (1L << (7 * length));
    for (int shift = 8 * (length - 1); shift >= 0; shift -= 8) {
      out.put((byte) (value >>> shift));
    }
  }

  /** Writes an element header: ID then known data size. */
  public static void putHeader(ByteBuffer out, int id, long payloadBytes) {
    putId(out, id);
    putSize(out, payloadBytes);
  }

  /** Writes an element header with the unknown size (for a master that runs to the next peer). */
  public static void putUnknownSizeHeader(ByteBuffer out, int id) {
    putId(out, id);
    out.put(UNKNOWN_SIZE);
  }

  /** Writes a whole string element, UTF-8 without terminator. */
  public static void putString(ByteBuffer out, int id, String value) {
    byte[] bytes = utf8(value);
    putHeader(out, id, bytes.length);
    out.put(bytes);
  }

  /** Writes a whole unsigned integer element in the fewest bytes (at least one). */
  public static void putUnsigned(ByteBuffer out, int id, long value) {
    int length = unsignedLength(value);
    putHeader(out, id, length);
    for (int shift = 8 * (length - 1); shift >= 0; shift -= 8) {
      out.put((byte) (value >>> shift));
    }
  }

  /** Total bytes of an unsigned integer element holding {@code value}. */
  public static long unsignedElementLength(int id, long value) {
    return elementLength(id, unsignedLength(value));
  }

  private static int unsignedLength(long value) {
    int length = 1;
    while (length < 8 && (value >>> (8 * length)) != 0) {
      length++;
    }
    return length;
  }

  static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
