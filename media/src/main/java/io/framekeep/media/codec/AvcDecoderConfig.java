package io.framekeep.media.codec;

import io.framekeep.media.MediaFormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * An H.264 AVCDecoderConfigurationRecord ("avcC", ISO/IEC 14496-15 §5.3.3.1), the codec private
 * data of a {@code V_MPEG4/ISO/AVC} track and the body of an MP4 {@code avcC} box.
 *
 * <p>Layout: {@code u8 configurationVersion = 1; u8 AVCProfileIndication; u8 profile_compatibility;
 * u8 AVCLevelIndication; u8 (6 reserved bits, lengthSizeMinusOne:2); u8 (3 reserved bits,
 * numOfSequenceParameterSets:5); per SPS {u16 length, bytes}; u8 numOfPictureParameterSets; per PPS
 * {u16 length, bytes}}; profile-specific trailing fields are kept in {@link #raw()} untouched.
 *
 * <p>Instances are immutable and thread-safe (arrays are not exposed for mutation by this class;
 * callers must not modify them).
 *
 * @param raw the record exactly as stored, suitable to be written as the {@code avcC} body
 * @param profileIdc AVCProfileIndication
 * @param profileCompatibility profile_compatibility
 * @param levelIdc AVCLevelIndication
 * @param nalLengthSize bytes of the length prefix before each NAL unit in frames: 1, 2 or 4
 * @param sps the sequence parameter set NAL units
 * @param pps the picture parameter set NAL units
 * @param width picture width from the first SPS, or 0 when the SPS could not be parsed
 * @param height picture height from the first SPS, or 0 when the SPS could not be parsed
 */
public record AvcDecoderConfig(
    byte[] raw,
    int profileIdc,
    int profileCompatibility,
    int levelIdc,
    int nalLengthSize,
    List<byte[]> sps,
    List<byte[]> pps,
    int width,
    int height) {
  /** Producer SDK limit on codec private data (KVS spec §4.2); larger CPD is refused unread. */
  public static final int MAX_CODEC_PRIVATE_BYTES = 1 << 20;
  private static final int HEADER_BYTES = 6;

  /**
   * Parses and validates an AVCDecoderConfigurationRecord.
   *
   * @throws MediaFormatException (invalid codec private data) for Annex-B start-code CPD, a wrong
   *     version, a reserved length size, no SPS, or any list running past the end
   */
  public static AvcDecoderConfig parse(byte[] cpd) throws MediaFormatException {
    if (cpd == null || cpd.length == 0) {
      throw MediaFormatException.missingCodecPrivateData("H.264 track has no codec private data");
    }
    if (cpd.length > MAX_CODEC_PRIVATE_BYTES) {
      throw MediaFormatException.invalidCodecPrivateData(
          "H.264 codec private data is " + cpd.length + " bytes, over " + MAX_CODEC_PRIVATE_BYTES);
    }
    if (isAnnexB(cpd)) {
      throw MediaFormatException.invalidCodecPrivateData(
          "H.264 codec private data is Annex-B (start codes); an AVCDecoderConfigurationRecord"
              + " is required");
    }
    if (cpd.length < HEADER_BYTES) {
      throw MediaFormatException.invalidCodecPrivateData(
          "H.264 codec private data is truncated: " + cpd.length + " bytes");
    }
    int version = cpd[0] & 0xFF; // configurationVersion
    if (version != 1) {
      throw MediaFormatException.invalidCodecPrivateData(
          "H.264 codec private data has configurationVersion " + version + ", expected 1");
    }
    int lengthSizeMinusOne = cpd[4] & 0x03; // lengthSizeMinusOne
    if (lengthSizeMinusOne == 2) {
      throw MediaFormatException.invalidCodecPrivateData(
          "H.264 codec private data declares a 3-byte NAL length size");
    }
    int spsCount = cpd[5] & 0x1F; // numOfSequenceParameterSets
    int[] position = {HEADER_BYTES};
    if (spsCount == 0) {
      throw MediaFormatException.invalidCodecPrivateData("H.264 codec private data has no SPS");
    }
    List<byte[]> spsList = readNalList(cpd, position, spsCount, "SPS");
    if (position[0] >= cpd.length) {
      throw MediaFormatException.invalidCodecPrivateData(
          "H.264 codec private data is truncated before the PPS count");
    }
    int ppsCount = cpd[position[0]++] & 0xFF; // numOfPictureParameterSets
    List<byte[]> ppsList = readNalList(cpd, position, ppsCount, "PPS");
    if ((spsList.get(0)[0] & 0x1F) != AvcSps.NAL_TYPE_SPS) {
      throw MediaFormatException.invalidCodecPrivateData(
          "H.264 codec private data SPS entry has NAL type " + (spsList.get(0)[0] & 0x1F));
    }
    int width = 0;
    int height = 0;
    try {
      AvcSps sps = AvcSps.parse(spsList.get(0));
      width = sps.width();
      height = sps.height();
    } catch (MediaFormatException e) {
      // The record itself is valid; the picture size falls back to the track's PixelWidth/Height.
    }
    return new AvcDecoderConfig(
        cpd.clone(),
        cpd[1] & 0xFF,
        cpd[2] & 0xFF,
        cpd[3] & 0xFF,
        lengthSizeMinusOne + 1,
        List.copyOf(spsList),
        List.copyOf(ppsList),
        width,
        height);
  }

  private static List<byte[]> readNalList(byte[] cpd, int[] position, int count, String what)
      throws MediaFormatException {
    List<byte[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int p = position[0];
      if (p + 2 > cpd.length) {
        throw MediaFormatException.invalidCodecPrivateData(
            "H.264 codec private data is truncated in " + what + " " + i + " length");
      }
      int length = ((cpd[p] & 0xFF) << 8) | (cpd[p + 1] & 0xFF);
      if (length == 0 || p + 2 + length > cpd.length) {
        throw MediaFormatException.invalidCodecPrivateData(
            "H.264 codec private data " + what + " " + i + " length " + length
                + " does not fit in " + (cpd.length - p - 2) + " remaining bytes");
      }
      byte[] nal = new byte[length];
      System.arraycopy(cpd, p + 2, nal, 0, length);
      out.add(nal);
      position[0] = p + 2 + length;
    }
    return out;
  }

  private static boolean isAnnexB(byte[] cpd) {
    return (cpd.length >= 3 && cpd[0] == 0 && cpd[1] == 0 && cpd[2] == 1)
        || (cpd.length >= 4 && cpd[0] == 0 && cpd[1] == 0 && cpd[2] == 0 && cpd[3] == 1);
  }
}
