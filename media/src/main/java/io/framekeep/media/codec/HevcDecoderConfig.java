package io.framekeep.media.codec;

import io.framekeep.media.MediaFormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * An H.265 HEVCDecoderConfigurationRecord ("hvcC", ISO/IEC 14496-15 §8.3.3.1), the codec private
 * data of a {@code V_MPEGH/ISO/HEVC} track and the body of an MP4 {@code hvcC} box.
 *
 * <p>Layout (23-byte header, then the arrays):
 *
 * <pre>
 *   u8  configurationVersion = 1
 *   u8  general_profile_space:2, general_tier_flag:1, general_profile_idc:5
 *   u32 general_profile_compatibility_flags
 *   u48 general_constraint_indicator_flags
 *   u8  general_level_idc
 *   u16 reserved:4, min_spatial_segmentation_idc:12
 *   u8  reserved:6, parallelismType:2
 *   u8  reserved:6, chromaFormat:2
 *   u8  reserved:5, bitDepthLumaMinus8:3
 *   u8  reserved:5, bitDepthChromaMinus8:3
 *   u16 avgFrameRate
 *   u8  constantFrameRate:2, numTemporalLayers:3, temporalIdNested:1, lengthSizeMinusOne:2
 *   u8  numOfArrays
 *   per array: u8 array_completeness:1, reserved:1, NAL_unit_type:6; u16 numNalus;
 *              per NAL unit: u16 nalUnitLength, bytes
 * </pre>
 *
 * <p>Trailing bytes after the last array are tolerated and kept in {@link #raw()}. Instances are
 * immutable and thread-safe (callers must not modify the arrays).
 *
 * @param raw the record exactly as stored, written as the {@code hvcC} body unchanged
 * @param generalProfileSpace general_profile_space
 * @param generalTierFlag general_tier_flag
 * @param generalProfileIdc general_profile_idc (1 = Main, 2 = Main 10, ...)
 * @param generalLevelIdc general_level_idc (30 × the level number)
 * @param nalLengthSize bytes of the length prefix before each NAL unit in frames: 1, 2 or 4
 * @param vps the video parameter set NAL units
 * @param sps the sequence parameter set NAL units
 * @param pps the picture parameter set NAL units
 * @param width picture width from the first SPS, or 0 when the SPS could not be parsed
 * @param height picture height from the first SPS, or 0 when the SPS could not be parsed
 */
public record HevcDecoderConfig(
    byte[] raw,
    int generalProfileSpace,
    boolean generalTierFlag,
    int generalProfileIdc,
    int generalLevelIdc,
    int nalLengthSize,
    List<byte[]> vps,
    List<byte[]> sps,
    List<byte[]> pps,
    int width,
    int height) {
  /** Producer SDK limit on codec private data (KVS spec §4.2); larger CPD is refused unread. */
  public static final int MAX_CODEC_PRIVATE_BYTES = 1 << 20;
  /** NAL unit types of the parameter sets (H.265 Table 7-1). */
  public static final int NAL_TYPE_VPS = 32;
  public static final int NAL_TYPE_SPS = HevcSps.NAL_TYPE_SPS;
  public static final int NAL_TYPE_PPS = 34;
  private static final int HEADER_BYTES = 23;

  /**
   * Parses and validates an HEVCDecoderConfigurationRecord.
   *
   * @throws MediaFormatException missing codec private data when empty; invalid codec private data
   *     for Annex-B start-code CPD, a wrong version, a reserved length size, no SPS, a NAL unit
   *     whose type disagrees with its array, or any array running past the end
   */
  public static HevcDecoderConfig parse(byte[] cpd) throws MediaFormatException {
    if (cpd == null || cpd.length == 0) {
      throw MediaFormatException.missingCodecPrivateData("H.265 track has no codec private data");
    }
    if (cpd.length > MAX_CODEC_PRIVATE_BYTES) {
      throw MediaFormatException.invalidCodecPrivateData(
          "H.265 codec private data is " + cpd.length + " bytes, over " + MAX_CODEC_PRIVATE_BYTES);
    }
    if (AnnexB.startCodeLength(cpd) > 0) {
      throw MediaFormatException.invalidCodecPrivateData(
          "H.265 codec private data is Annex-B (start codes); an HEVCDecoderConfigurationRecord"
              + " is required");
    }
    if (cpd.length < HEADER_BYTES) {
      throw MediaFormatException.invalidCodecPrivateData(
          "H.265 codec private data is truncated: " + cpd.length + " bytes");
    }
    int version = cpd[0] & 0xFF; // configurationVersion
    if (version != 1) {
      throw MediaFormatException.invalidCodecPrivateData(
          "H.265 codec private data has configurationVersion " + version + ", expected 1");
    }
    int lengthSizeMinusOne = cpd[21] & 0x03; // lengthSizeMinusOne
    if (lengthSizeMinusOne == 2) {
      throw MediaFormatException.invalidCodecPrivateData(
          "H.265 codec private data declares a 3-byte NAL length size");
    }
    List<byte[]> vps = new ArrayList<>();
    List<byte[]> sps = new ArrayList<>();
    List<byte[]> pps = new ArrayList<>();
    int arrays = cpd[22] & 0xFF; // numOfArrays
    int p = HEADER_BYTES;
    for (int a = 0; a < arrays; a++) {
      if (p + 3 > cpd.length) {
        throw MediaFormatException.invalidCodecPrivateData(
            "H.265 codec private data is truncated in the header of array " + a);
      }
      int type = cpd[p] & 0x3F; // array_completeness, reserved, NAL_unit_type
      int count = ((cpd[p + 1] & 0xFF) << 8) | (cpd[p + 2] & 0xFF); // numNalus
      p += 3;
      List<byte[]> target = type == NAL_TYPE_VPS ? vps
          : type == NAL_TYPE_SPS ? sps : type == NAL_TYPE_PPS ? pps : null;
      for (int n = 0; n < count; n++) {
        if (p + 2 > cpd.length) {
          throw MediaFormatException.invalidCodecPrivateData(
              "H.265 codec private data is truncated in array " + a + " NAL " + n + " length");
        }
        int length = ((cpd[p] & 0xFF) << 8) | (cpd[p + 1] & 0xFF); // nalUnitLength
        if (length < 2 || p + 2 + length > cpd.length) {
          throw MediaFormatException.invalidCodecPrivateData(
              "H.265 codec private data array " + a + " NAL " + n + " length " + length
                  + " does not fit in " + (cpd.length - p - 2) + " remaining bytes");
        }
        if (HevcSps.nalType(cpd[p + 2]) != type) {
          throw MediaFormatException.invalidCodecPrivateData(
              "H.265 codec private data array of NAL type " + type + " holds a NAL unit of type "
                  + HevcSps.nalType(cpd[p + 2]));
        }
        if (target != null) {
          byte[] nal = new byte[length];
          System.arraycopy(cpd, p + 2, nal, 0, length);
          target.add(nal);
        }
        p += 2 + length;
      }
    }
    if (sps.isEmpty()) {
      throw MediaFormatException.invalidCodecPrivateData("H.265 codec private data has no SPS");
    }
    int width = 0;
    int height = 0;
    try {
      HevcSps parsed = HevcSps.parse(sps.get(0));
      width = parsed.width();
      height = parsed.height();
    } catch (MediaFormatException e) {
      // The record itself is valid; the picture size falls back to the track's PixelWidth/Height.
    }
    return new HevcDecoderConfig(
        cpd.clone(),
        (cpd[1] >> 6) & 0x03,
        (cpd[1] & 0x20) != 0,
        cpd[1] & 0x1F,
        cpd[12] & 0xFF,
        lengthSizeMinusOne + 1,
        List.copyOf(vps),
        List.copyOf(sps),
        List.copyOf(pps),
        width,
        height);
  }
}
