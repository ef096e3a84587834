package io.framekeep.media.codec;

import io.framekeep.media.MediaFormatException;
import java.io.ByteArrayOutputStream;

/**
 * The fields of an H.264 sequence parameter set (ITU-T H.264 §7.3.2.1.1) that a container needs:
 * the coded picture size after frame cropping.
 *
 * @param profileIdc {@code profile_idc}
 * @param levelIdc {@code level_idc}
 * @param chromaFormatIdc {@code chroma_format_idc} (1 = 4:2:0 when the profile does not carry it)
 * @param width displayed width in pixels, after cropping
 * @param height displayed height in pixels, after cropping
 */
public record AvcSps(int profileIdc, int levelIdc, int chromaFormatIdc, int width, int height) {
  /** NAL unit type of a sequence parameter set. */
  public static final int NAL_TYPE_SPS = 7;
  /** Largest picture dimension in macroblocks accepted: 16384 pixels, well beyond level 6.2. */
  private static final long MAX_DIMENSION_MBS = 1024;
  /** Largest {@code num_ref_frames_in_pic_order_cnt_cycle} allowed by H.264 §7.4.2.1.1. */
  private static final long MAX_REF_FRAMES_IN_POC_CYCLE = 255;

  /**
   * Parses one SPS NAL unit (header byte included, emulation-prevention bytes still present).
   *
   * @throws MediaFormatException (invalid codec private data) when the NAL is not an SPS or its
   *     fields are truncated or out of range
   */
  public static AvcSps parse(byte[] nal) throws MediaFormatException {
    if (nal.length < 4 || (nal[0] & 0x1F) != NAL_TYPE_SPS) {
      throw MediaFormatException.invalidCodecPrivateData("AVC SPS NAL unit is not an SPS");
    }
    BitReader r = new BitReader(unescape(nal), "AVC SPS");
    r.skipBits(8); // forbidden_zero_bit, nal_ref_idc, nal_unit_type
    int profileIdc = (int) r.readBits(8); // profile_idc
    r.skipBits(8); // constraint_set0..5_flag, reserved_zero_2bits
    int levelIdc = (int) r.readBits(8); // level_idc
    r.readUe(); // seq_parameter_set_id
    int chromaFormatIdc = 1;
    boolean separateColourPlane = false;
    if (hasChromaFields(profileIdc)) {
      chromaFormatIdc = (int) checked(r.readUe(), 3, "chroma_format_idc"); // chroma_format_idc
      if (chromaFormatIdc == 3) {
        separateColourPlane = r.readFlag(); // separate_colour_plane_flag
      }
      r.readUe(); // bit_depth_luma_minus8
      r.readUe(); // bit_depth_chroma_minus8
      r.skipBits(1); // qpprime_y_zero_transform_bypass_flag
      if (r.readFlag()) { // seq_scaling_matrix_present_flag
        int lists = chromaFormatIdc != 3 ? 8 : 12;
        for (int i = 0; i < lists; i++) {
          if (r.readFlag()) { // seq_scaling_list_present_flag[i]
            skipScalingList(r, i < 6 ? 16 : 64);
          }
        }
      }
    }
    r.readUe(); // log2_max_frame_num_minus4
    long picOrderCntType = r.readUe(); // pic_order_cnt_type
    if (picOrderCntType == 0) {
      r.readUe(); // log2_max_pic_order_cnt_lsb_minus4
    } else if (picOrderCntType == 1) {
      r.skipBits(1); // delta_pic_order_always_zero_flag
      r.readSe(); // offset_for_non_ref_pic
      r.readSe(); // offset_for_top_to_bottom_field
      long cycle = checked(r.readUe(), MAX_REF_FRAMES_IN_POC_CYCLE, "num_ref_frames_in_poc_cycle");
      for (long i = 0; i < cycle; i++) {
        r.readSe(); // offset_for_ref_frame[i]
      }
    }
    r.readUe(); // max_num_ref_frames
    r.skipBits(1); // gaps_in_frame_num_value_allowed_flag
    long widthMbs = checked(r.readUe() + 1, MAX_DIMENSION_MBS, "pic_width_in_mbs"); // pic_width_in_mbs_minus1
    long heightMapUnits = checked(r.readUe() + 1, MAX_DIMENSION_MBS, "pic_height_in_map_units");
    boolean frameMbsOnly = r.readFlag(); // frame_mbs_only_flag
    if (!frameMbsOnly) {
      r.skipBits(1); // mb_adaptive_frame_field_flag
    }
    r.skipBits(1); // direct_8x8_inference_flag
    long width = widthMbs * 16;
    long height = (frameMbsOnly ? 1 : 2) * heightMapUnits * 16;
    if (r.readFlag()) { // frame_cropping_flag
      int chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
      long cropUnitX = chromaArrayType == 0 ? 1 : (chromaArrayType == 3 ? 1 : 2);
      long subHeightC = chromaArrayType == 1 ? 2 : 1;
      long cropUnitY = (chromaArrayType == 0 ? 1 : subHeightC) * (frameMbsOnly ? 1 : 2);
      long left = r.readUe(); // frame_crop_left_offset
      long right = r.readUe(); // frame_crop_right_offset
      long top = r.readUe(); // frame_crop_top_offset
      long bottom = r.readUe(); // frame_crop_bottom_offset
      width -= cropUnitX * (left + right);
      height -= cropUnitY * (top + bottom);
    }
    if (width <= 0 || height <= 0) {
      throw MediaFormatException.invalidCodecPrivateData(
          "AVC SPS crops the picture to " + width + "x" + height);
    }
    return new AvcSps(profileIdc, levelIdc, chromaFormatIdc, (int) width, (int) height);
  }

  /** Profiles whose SPS carries chroma_format_idc and bit depths (H.264 §7.3.2.1.1). */
  private static boolean hasChromaFields(int profileIdc) {
    switch (profileIdc) {
      case 100: case 110: case 122: case 244: case 44: case 83: case 86: case 118: case 128:
      case 138: case 139: case 134: case 135:
        return true;
      default:
        return false;
    }
  }

  private static void skipScalingList(BitReader r, int size) throws MediaFormatException {
    long lastScale = 8;
    long nextScale = 8;
    for (int j = 0; j < size; j++) {
      if (nextScale != 0) {
        long delta = r.readSe(); // delta_scale
        nextScale = Math.floorMod(lastScale + delta + 256, 256);
      }
      lastScale = nextScale == 0 ? lastScale : nextScale;
    }
  }

  private static long checked(long value, long max, String field) throws MediaFormatException {
    if (value < 0 || value > max) {
      throw MediaFormatException.invalidCodecPrivateData(
          "AVC SPS " + field + " = " + value + " is out of range");
    }
    return value;
  }

  /** Removes emulation-prevention bytes: {@code 00 00 03} becomes {@code 00 00}. */
  static byte[] unescape(byte[] nal) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(nal.length);
    int zeros = 0;
    for (byte b : nal) {
      if (zeros >= 2 && b == 3) {
        zeros = 0;
        continue;
      }
      out.write(b);
      zeros = b == 0 ? zeros + 1 : 0;
    }
    return out.toByteArray();
  }
}
