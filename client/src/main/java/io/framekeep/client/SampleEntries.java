package io.framekeep.client;

import java.util.Arrays;

/**
 * Decides whether two pieces' {@code stsd} boxes describe the same codec configuration. Bytes
 * are compared after blanking the informational bitrate fields a muxer computes from the piece's
 * own samples ({@code esds} DecoderConfigDescriptor bufferSizeDB/maxBitrate/avgBitrate, and
 * {@code btrt}), which differ between pieces of one stream. Stateless.
 */
final class SampleEntries {
  /** ES_DescrTag and DecoderConfigDescrTag of ISO/IEC 14496-1. */
  private static final int ES_DESCR_TAG = 0x03;
  private static final int DECODER_CONFIG_DESCR_TAG = 0x04;
  /** bufferSizeDB (3) + maxBitrate (4) + avgBitrate (4). */
  private static final int BITRATE_FIELDS_BYTES = 11;
  /** btrt payload: bufferSizeDB, maxBitrate, avgBitrate (4 each). */
  private static final int BTRT_PAYLOAD_BYTES = 12;

  private SampleEntries() {}

  static boolean sameCodec(byte[] stsdA, byte[] stsdB) {
    return Arrays.equals(identity(stsdA), identity(stsdB));
  }

  /** A copy of the box with the bitrate fields zeroed. */
  static byte[] identity(byte[] stsd) {
    byte[] copy = stsd.clone();
    for (int i = 4; i + 4 <= copy.length; i++) {
      if (is(copy, i, "btrt") && i + 4 + BTRT_PAYLOAD_BYTES <= copy.length) {
        Arrays.fill(copy, i + 4, i + 4 + BTRT_PAYLOAD_BYTES, (byte) 0);
      } else if (is(copy, i, "esds")) {
        blankEsds(copy, i + 4 + 4); // skip type, version + flags
      }
    }
    return copy;
  }

  private static void blankEsds(byte[] b, int pos) {
    if (pos >= b.length || (b[pos] & 0xFF) != ES_DESCR_TAG) {
      return;
    }
    pos = skipSize(b, pos + 1);
    if (pos + 3 > b.length) {
      return;
    }
    int flags = b[pos + 2] & 0xFF; // after ES_ID (2)
    pos += 3;
    if ((flags & 0x80) != 0) {
      pos += 2; // dependsOn_ES_ID
    }
    if ((flags & 0x40) != 0 && pos < b.length) {
      pos += 1 + (b[pos] & 0xFF); // URLlength, URLstring
    }
    if ((flags & 0x20) != 0) {
      pos += 2; // OCR_ES_Id
    }
    if (pos >= b.length || (b[pos] & 0xFF) != DECODER_CONFIG_DESCR_TAG) {
      return;
    }
    pos = skipSize(b, pos + 1) + 2; // objectTypeIndication, streamType byte
    if (pos + BITRATE_FIELDS_BYTES <= b.length) {
      Arrays.fill(b, pos, pos + BITRATE_FIELDS_BYTES, (byte) 0);
    }
  }

  /** Skips an expandable descriptor size (1–4 bytes, high bit = more). */
  private static int skipSize(byte[] b, int pos) {
    for (int i = 0; i < 4 && pos < b.length; i++) {
      if ((b[pos++] & 0x80) == 0) {
        break;
      }
    }
    return pos;
  }

  private static boolean is(byte[] b, int i, String fourcc) {
    return b[i] == fourcc.charAt(0) && b[i + 1] == fourcc.charAt(1) && b[i + 2] == fourcc.charAt(2)
        && b[i + 3] == fourcc.charAt(3);
  }
}
