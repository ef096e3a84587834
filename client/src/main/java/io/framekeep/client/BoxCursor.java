package io.framekeep.client;

import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked big-endian reads over a slice of a byte array: every read checks the slice end
 * first and reports a truncated box as {@link Mp4FormatException}. Not thread-safe.
 */
final class BoxCursor {
  private final byte[] data;
  private int pos;
  private final int end;

  BoxCursor(byte[] data, int from, int to) {
    this.data = data;
    this.pos = from;
    this.end = to;
  }

  int position() {
    return pos;
  }

  int remaining() {
    return end - pos;
  }

  private void need(long n) throws Mp4FormatException {
    if (n < 0 || n > end - pos) {
      throw Mp4FormatException.malformed("box ends " + (n - (end - pos)) + " bytes early at " + pos);
    }
  }

  void skip(long n) throws Mp4FormatException {
    need(n);
    pos += (int) n;
  }

  int u8() throws Mp4FormatException {
    need(1);
    return data[pos++] & 0xFF;
  }

  int u16() throws Mp4FormatException {
    need(2);
    int v = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  long u32() throws Mp4FormatException {
    need(4);
    long v = ((long) (data[pos] & 0xFF) << 24) | ((data[pos + 1] & 0xFF) << 16)
        | ((data[pos + 2] & 0xFF) << 8) | (data[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  int s32() throws Mp4FormatException {
    return (int) u32();
  }

  long u64() throws Mp4FormatException {
    long hi = u32();
    long lo = u32();
    long v = (hi << 32) | lo;
    if (v < 0) {
      throw Mp4FormatException.malformed("64-bit value out of range at " + (pos - 8));
    }
    return v;
  }

  /** A signed 64-bit value (elst media_time may be -1). */
  long s64() throws Mp4FormatException {
    long hi = u32();
    long lo = u32();
    return (hi << 32) | lo;
  }

  String fourcc() throws Mp4FormatException {
    need(4);
    String s = new String(data, pos, 4, StandardCharsets.ISO_8859_1);
    pos += 4;
    return s;
  }

  byte[] bytes(int n) throws Mp4FormatException {
    need(n);
    byte[] out = new byte[n];
    System.arraycopy(data, pos, out, 0, n);
    pos += n;
    return out;
  }

  /** A count read from the wire, checked against the bytes its entries need before any use. */
  int count(long entryBytes) throws Mp4FormatException {
    long n = u32();
    if (n * entryBytes > end - pos) {
      throw Mp4FormatException.malformed(n + " entries of " + entryBytes + " bytes do not fit in "
          + (end - pos) + " bytes");
    }
    return (int) n;
  }

  /** Header of the next child box; its body spans [bodyStart, bodyEnd) of the array. */
  record Child(String type, int bodyStart, int bodyEnd) {}

  Child child() throws Mp4FormatException {
    int start = pos;
    long size = u32();
    String type = fourcc();
    if (size == 1) {
      size = u64();
    } else if (size == 0) {
      size = end - start;
    }
    int headerBytes = pos - start;
    if (size < headerBytes || size > end - start) {
      throw Mp4FormatException.malformed("box '" + type + "' of size " + size + " at " + start
          + " does not fit in its parent (" + (end - start) + " bytes left)");
    }
    pos = start + (int) size;
    return new Child(type, start + headerBytes, start + (int) size);
  }

  BoxCursor body(Child c) {
    return new BoxCursor(data, c.bodyStart(), c.bodyEnd());
  }
}
