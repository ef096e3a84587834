package io.framekeep.it;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Small synthetic PutMedia bodies, valid Matroska as KVS accepts it, shaped the way a hostile
 * client would shape them: clusters of one 1-byte frame (the most acks per body byte), one
 * cluster of a million fixed-laced 1-byte frames (the biggest frame table per body byte), a header
 * of three tracks with 1 MiB CodecPrivate each (the biggest header allowed).
 *
 * <p>Layout: EBML header (DocType matroska), a Segment of unknown size, Info (TimecodeScale 1 ms),
 * Tracks; then Clusters with a Timecode and SimpleBlocks of track 1 (key frames). Written with a
 * few EBML helpers of its own (sizes always 8 bytes, or unknown), so the bytes are exactly as
 * documented here.
 */
final class HostileMkv {
  static final int ID_EBML = 0x1A45DFA3;
  static final int ID_DOC_TYPE = 0x4282;
  static final int ID_SEGMENT = 0x18538067;
  static final int ID_INFO = 0x1549A966;
  static final int ID_TIMECODE_SCALE = 0x2AD7B1;
  static final int ID_TRACKS = 0x1654AE6B;
  static final int ID_TRACK_ENTRY = 0xAE;
  static final int ID_TRACK_NUMBER = 0xD7;
  static final int ID_TRACK_UID = 0x73C5;
  static final int ID_TRACK_TYPE = 0x83;
  static final int ID_CODEC_ID = 0x86;
  static final int ID_CODEC_PRIVATE = 0x63A2;
  static final int ID_CLUSTER = 0x1F43B675;
  static final int ID_TIMECODE = 0xE7;
  static final int ID_SIMPLE_BLOCK = 0xA3;
  /** A Matroska lace holds at most 256 frames (its count is one byte, minus one). */
  static final int MAX_FRAMES_PER_LACE = 256;
  /** SimpleBlock flags: key frame, fixed-size lacing. */
  private static final int FLAG_KEY = 0x80;
  private static final int FLAG_FIXED_LACING = 0x04;
  private static final int TRACK_TYPE_VIDEO = 1;

  private HostileMkv() {}

  /** The header: {@code tracks} H.264 tracks, each with {@code codecPrivateBytes} of CodecPrivate. */
  static byte[] header(int tracks, int codecPrivateBytes) {
    ByteArrayOutputStream trackEntries = new ByteArrayOutputStream();
    for (int t = 1; t <= tracks; t++) {
      ByteArrayOutputStream entry = new ByteArrayOutputStream();
      element(entry, ID_TRACK_NUMBER, unsigned(t));
      element(entry, ID_TRACK_UID, unsigned(t));
      element(entry, ID_TRACK_TYPE, unsigned(TRACK_TYPE_VIDEO));
      element(entry, ID_CODEC_ID, "V_MPEG4/ISO/AVC".getBytes(StandardCharsets.US_ASCII));
      if (codecPrivateBytes > 0) {
        element(entry, ID_CODEC_PRIVATE, new byte[codecPrivateBytes]);
      }
      element(trackEntries, ID_TRACK_ENTRY, entry.toByteArray());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    element(out, ID_EBML, element(ID_DOC_TYPE, "matroska".getBytes(StandardCharsets.US_ASCII)));
    id(out, ID_SEGMENT);
    out.write(0x01); // unknown size, 8 bytes
    out.writeBytes(new byte[] {-1, -1, -1, -1, -1, -1, -1});
    element(out, ID_INFO, element(ID_TIMECODE_SCALE, unsigned(1_000_000)));
    element(out, ID_TRACKS, trackEntries.toByteArray());
    return out.toByteArray();
  }

  /** A known-size Cluster at {@code timecodeMs} holding one 1-byte key frame of track 1. */
  static byte[] tinyCluster(long timecodeMs) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    element(body, ID_TIMECODE, unsigned(timecodeMs));
    element(body, ID_SIMPLE_BLOCK, new byte[] {(byte) 0x81, 0, 0, (byte) FLAG_KEY, 0x42});
    return element(ID_CLUSTER, body.toByteArray());
  }

  /**
   * The start of an unknown-size Cluster at {@code timecodeMs}: its head and Timecode. Follow it
   * with {@link #lacedBlock()}s; it ends only with the next Cluster or the body.
   */
  static byte[] openCluster(long timecodeMs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    id(out, ID_CLUSTER);
    out.write(0x01);
    out.writeBytes(new byte[] {-1, -1, -1, -1, -1, -1, -1});
    element(out, ID_TIMECODE, unsigned(timecodeMs));
    return out.toByteArray();
  }

  /** A SimpleBlock of track 1 with {@link #MAX_FRAMES_PER_LACE} fixed-laced 1-byte frames. */
  static byte[] lacedBlock() {
    byte[] block = new byte[5 + MAX_FRAMES_PER_LACE];
    block[0] = (byte) 0x81; // track 1
    block[3] = (byte) (FLAG_KEY | FLAG_FIXED_LACING);
    block[4] = (byte) (MAX_FRAMES_PER_LACE - 1);
    return element(ID_SIMPLE_BLOCK, block);
  }

  static byte[] element(int id, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 12);
    element(out, id, payload);
    return out.toByteArray();
  }

  private static void element(ByteArrayOutputStream out, int id, byte[] payload) {
    id(out, id);
    long size = payload.length;
    out.write(0x01); // 8-byte size
    for (int i = 6; i >= 0; i--) {
      out.write((int) (size >>> (8 * i)));
    }
    out.writeBytes(payload);
  }

  private static void id(ByteArrayOutputStream out, int id) {
    int length = (id & 0xFF000000) != 0 ? 4 : (id & 0xFF0000) != 0 ? 3 : (id & 0xFF00) != 0 ? 2 : 1;
    for (int i = length - 1; i >= 0; i--) {
      out.write(id >>> (8 * i));
    }
  }

  private static byte[] unsigned(long value) {
    return new byte[] {(byte) (value >>> 56), (byte) (value >>> 48), (byte) (value >>> 40),
        (byte) (value >>> 32), (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8),
        (byte) value};
  }
}
