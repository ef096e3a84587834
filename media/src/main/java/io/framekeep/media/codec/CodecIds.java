package io.framekeep.media.codec;

/**
 * Matroska {@code CodecID} strings that the packaging APIs recognise (KVS spec §4.2).
 *
 * <p>Constants keep the Matroska spelling exactly; compare with {@link #isH264(String)} rather than
 * {@code equals} so that the widely printed {@link #CODEC_ID_H264_ALT} spelling is accepted too.
 */
public final class CodecIds {
  /** H.264 / AVC as written by the KVS producer SDK and by ffmpeg. */
  public static final String CODEC_ID_H264 = "V_MPEG4/ISO/AVC";
  /** The spelling printed by many AWS pages; treated as identical to {@link #CODEC_ID_H264}. */
  public static final String CODEC_ID_H264_ALT = "V_MPEG/ISO/AVC";
  /** H.265 / HEVC. */
  public static final String CODEC_ID_H265 = "V_MPEGH/ISO/HEVC";
  /** AAC with an AudioSpecificConfig as codec private data. */
  public static final String CODEC_ID_AAC = "A_AAC";
  /** WAVEFORMATEX audio (G.711 A-law / µ-law, PCM). */
  public static final String CODEC_ID_ACM = "A_MS/ACM";

  private CodecIds() {}

  /** True for either spelling of the H.264 codec ID. */
  public static boolean isH264(String codecId) {
    return CODEC_ID_H264.equals(codecId) || CODEC_ID_H264_ALT.equals(codecId);
  }

  public static boolean isH265(String codecId) {
    return CODEC_ID_H265.equals(codecId);
  }

  public static boolean isAac(String codecId) {
    return CODEC_ID_AAC.equals(codecId);
  }

  public static boolean isAcm(String codecId) {
    return CODEC_ID_ACM.equals(codecId);
  }
}
