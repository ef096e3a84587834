package io.framekeep.media.mkv;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes small synthetic Matroska bodies for parser tests. */
final class MkvBuilder {
  static final byte[] UNKNOWN_SIZE = {0x01, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
      (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

  private MkvBuilder() {}

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] id(int id) {
    int n = id > 0xFFFFFF ? 4 : id > 0xFFFF ? 3 : id > 0xFF ? 2 : 1;
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (id >>> (8 * (n - 1 - i)));
    }
    return b;
  }

  /** The shortest EBML size varint for {@code size}. */
  static byte[] size(long size) {
    int n = 1;
    while (size >= (1L << (7 * n)) - 1) {
      n++;
    }
    byte[] b = new byte[n];
    long v = size | (1L << (7 * n));
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (v >>> (8 * (n - 1 - i)));
    }
    return b;
  }

  static byte[] element(int id, byte[]... children) {
    byte[] payload = concat(children);
    return concat(id(id), size(payload.length), payload);
  }

  static byte[] unknownSize(int id, byte[]... children) {
    return concat(id(id), UNKNOWN_SIZE, concat(children));
  }

  static byte[] uint(int id, long value) {
    int n = 1;
    while (n < 8 && (value >>> (8 * n)) != 0) {
      n++;
    }
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (value >>> (8 * (n - 1 - i)));
    }
    return element(id, b);
  }

  static byte[] string(int id, String s) {
    return element(id, s.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] ebmlHeader(String docType) {
    return element(MatroskaIds.ID_EBML, uint(MatroskaIds.ID_EBML_VERSION, 1),
        string(MatroskaIds.ID_DOC_TYPE, docType));
  }

  static byte[] info(long timecodeScaleNs) {
    return element(MatroskaIds.ID_INFO, uint(MatroskaIds.ID_TIMECODE_SCALE, timecodeScaleNs));
  }

  static byte[] trackEntry(int number, int type, String codecId) {
    return element(MatroskaIds.ID_TRACK_ENTRY, uint(MatroskaIds.ID_TRACK_NUMBER, number),
        uint(MatroskaIds.ID_TRACK_TYPE, type), string(MatroskaIds.ID_CODEC_ID, codecId));
  }

  /** Tracks with video track 1 (H.264, 320x240, CPD 3 bytes) and audio track 2 (AAC). */
  static byte[] twoTracks() {
    byte[] video = element(MatroskaIds.ID_TRACK_ENTRY, uint(MatroskaIds.ID_TRACK_NUMBER, 1),
        uint(MatroskaIds.ID_TRACK_TYPE, 1), string(MatroskaIds.ID_CODEC_ID, "V_MPEG4/ISO/AVC"),
        element(MatroskaIds.ID_CODEC_PRIVATE, new byte[] {1, 2, 3}),
        element(MatroskaIds.ID_VIDEO, uint(MatroskaIds.ID_PIXEL_WIDTH, 320),
            uint(MatroskaIds.ID_PIXEL_HEIGHT, 240)));
    byte[] audio = element(MatroskaIds.ID_TRACK_ENTRY, uint(MatroskaIds.ID_TRACK_NUMBER, 2),
        uint(MatroskaIds.ID_TRACK_TYPE, 2), string(MatroskaIds.ID_CODEC_ID, "A_AAC"),
        uint(MatroskaIds.ID_DEFAULT_DURATION, 21_333_333),
        element(MatroskaIds.ID_AUDIO, element(MatroskaIds.ID_SAMPLING_FREQUENCY,
            new byte[] {0x47, 0x3B, (byte) 0x80, 0x00}), uint(MatroskaIds.ID_CHANNELS, 2)));
    return element(MatroskaIds.ID_TRACKS, video, audio);
  }

  /** A SimpleBlock element without lacing. */
  static byte[] simpleBlock(int track, int relativeTicks, boolean key, byte[] data) {
    return element(MatroskaIds.ID_SIMPLE_BLOCK, blockPayload(track, relativeTicks, key ? 0x80 : 0, data));
  }

  static byte[] blockPayload(int track, int relativeTicks, int flags, byte[]... rest) {
    return concat(size(track), new byte[] {(byte) (relativeTicks >> 8), (byte) relativeTicks,
        (byte) flags}, concat(rest));
  }

  static byte[] frame(int size, int fill) {
    byte[] b = new byte[size];
    java.util.Arrays.fill(b, (byte) fill);
    return b;
  }

  static byte[] cluster(long timecode, byte[]... children) {
    return element(MatroskaIds.ID_CLUSTER, concat(uint(MatroskaIds.ID_TIMECODE, timecode), concat(children)));
  }

  static byte[] unknownCluster(long timecode, byte[]... children) {
    return unknownSize(MatroskaIds.ID_CLUSTER, concat(uint(MatroskaIds.ID_TIMECODE, timecode), concat(children)));
  }

  /** EBML header, then an unknown-size Segment with Info (1 ms) and two tracks, then {@code rest}. */
  static byte[] body(byte[]... rest) {
    return concat(header(), concat(rest));
  }

  static byte[] header() {
    return concat(ebmlHeader("matroska"), id(MatroskaIds.ID_SEGMENT), UNKNOWN_SIZE,
        info(1_000_000), twoTracks());
  }
}
