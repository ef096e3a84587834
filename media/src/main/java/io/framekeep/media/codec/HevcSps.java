package io.framekeep.media.codec;

import io.framekeep.media.MediaFormatException;

/**
 * The fields of an H.265 sequence parameter set (ITU-T H.265 §7.3.2.2.1) that a container needs:
 * the picture size after the conformance window is applied.
 *
 * <p>Read up to {@code conf_win_bottom_offset}: the two-byte NAL unit header, {@code
 * sps_video_parameter_set_id:4, sps_max_sub_layers_minus1:3, sps_temporal_id_nesting_flag:1},
 * {@code profile_tier_level(1, sps_max_sub_layers_minus1)} (§7.3.3), then {@code
 * sps_seq_parameter_set_id}, {@code chroma_format_idc} ({@code separate_colour_plane_flag} when 3),
 * {@code pic_width_in_luma_samples}, {@code pic_height_in_luma_samples} and the optional
 * conformance window.
 *
 * @param generalProfileIdc {@code general_profile_idc}
 * @param generalLevelIdc {@code general_level_idc}
 * @param chromaFormatIdc {@code chroma_format_idc}
 * @param width displayed width in pixels, after the conformance window
 * @param height displayed height in pixels, after the conformance window
 */
public record HevcSps(
    int generalProfileIdc, int generalLevelIdc, int chromaFormatIdc, int width, int height) {
  /** NAL unit type of a sequence parameter set (H.265 Table 7-1). */
  public static final int NAL_TYPE_SPS = 33;
  /** Largest picture dimension accepted: 16384 luma samples, four times level 6.2's 8444. */
  private static final long MAX_DIMENSION_PIXELS = 16384;
  /** Bits of one sub-layer's profile fields in profile_tier_level (profile space … flags). */
  private static final int SUB_LAYER_PROFILE_BITS = 88;
  /** Bits of general_profile_space … general_level_idc in profile_tier_level. */
  private static final int GENERAL_PROFILE_TIER_LEVEL_BITS = 96;

  /**
   * Parses one SPS NAL unit (two-byte header included, emulation-prevention bytes still present).
   *
   * @throws MediaFormatException (invalid codec private data) when the NAL is not an SPS or its
   *     fields are truncated or out of range
   */
  public static HevcSps parse(byte[] nal) throws MediaFormatException {
    if (nal.length < 3 || nalType(nal[0]) != NAL_TYPE_SPS) {
      throw MediaFormatException.invalidCodecPrivateData("HEVC SPS NAL unit is not an SPS");
    }
    BitReader r = new BitReader(AvcSps.unescape(nal), "HEVC SPS");
    r.skipBits(16); // forbidden_zero_bit, nal_unit_type, nuh_layer_id, nuh_temporal_id_plus1
    r.skipBits(4); // sps_video_parameter_set_id
    int maxSubLayersMinus1 = (int) r.readBits(3); // sps_max_sub_layers_minus1
    r.skipBits(1); // sps_temporal_id_nesting_flag
    r.skipBits(3); // general_profile_space, general_tier_flag
    int generalProfileIdc = (int) r.readBits(5); // general_profile_idc
    r.skipBits(GENERAL_PROFILE_TIER_LEVEL_BITS - 16); // compatibility and constraint flags
    int generalLevelIdc = (int) r.readBits(8); // general_level_idc
    skipSubLayers(r, maxSubLayersMinus1);
    r.readUe(); // sps_seq_parameter_set_id
    long chromaFormatIdc = checked(r.readUe(), 3, "chroma_format_idc"); // chroma_format_idc
    boolean separateColourPlane = false;
    if (chromaFormatIdc == 3) {
      separateColourPlane = r.readFlag(); // separate_colour_plane_flag
    }
    long width = checked(r.readUe(), MAX_DIMENSION_PIXELS, "pic_width_in_luma_samples");
    long height = checked(r.readUe(), MAX_DIMENSION_PIXELS, "pic_height_in_luma_samples");
    if (r.readFlag()) { // conformance_window_flag
      long chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
      long subWidthC = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
      long subHeightC = chromaArrayType == 1 ? 2 : 1;
      long left = r.readUe(); // conf_win_left_offset
      long right = r.readUe(); // conf_win_right_offset
      long top = r.readUe(); // conf_win_top_offset
      long bottom = r.readUe(); // conf_win_bottom_offset
      width -= subWidthC * (left + right);
      height -= subHeightC * (top + bottom);
    }
    if (width <= 0 || height <= 0) {
      throw MediaFormatException.invalidCodecPrivateData(
          "HEVC SPS describes a " + width + "x" + height + " picture");
    }
    return new HevcSps(generalProfileIdc, generalLevelIdc, (int) chromaFormatIdc, (int) width,
        (int) height);
  }

  /** The rest of profile_tier_level after general_level_idc (H.265 §7.3.3). */
  private static void skipSubLayers(BitReader r, int maxSubLayersMinus1)
      throws MediaFormatException {
    boolean[] profilePresent = new boolean[maxSubLayersMinus1];
    boolean[] levelPresent = new boolean[maxSubLayersMinus1];
    for (int i = 0; i < maxSubLayersMinus1; i++) {
      profilePresent[i] = r.readFlag(); // sub_layer_profile_present_flag[i]
      levelPresent[i] = r.readFlag(); // sub_layer_level_present_flag[i]
    }
    if (maxSubLayersMinus1 > 0) {
      for (int i = maxSubLayersMinus1; i < 8; i++) {
        r.skipBits(2); // reserved_zero_2bits
      }
    }
    for (int i = 0; i < maxSubLayersMinus1; i++) {
      if (profilePresent[i]) {
        r.skipBits(SUB_LAYER_PROFILE_BITS); // sub_layer_profile_space … flags
      }
      if (levelPresent[i]) {
        r.skipBits(8); // sub_layer_level_idc[i]
      }
    }
  }

  static int nalType(byte firstHeaderByte) {
    return (firstHeaderByte >> 1) & 0x3F;
  }

  private static long checked(long value, long max, String field) throws MediaFormatException {
    if (value < 0 || value > max) {
      throw MediaFormatException.invalidCodecPrivateData(
          "HEVC SPS " + field + " = " + value + " is out of range");
    }
    return value;
  }
}
