package io.framekeep.media.fmp4;

import io.framekeep.media.MediaFormatException;
import io.framekeep.media.codec.AvcDecoderConfig;
import io.framekeep.media.codec.CodecIds;
import io.framekeep.media.codec.HevcDecoderConfig;
import io.framekeep.media.mkv.TrackInfo;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * A video track's parameter sets (H.264 SPS and PPS; H.265 VPS, SPS and PPS) as length-prefixed
 * NAL units, to be placed in front of a key frame's own NAL units. A sample that carries them
 * decodes correctly even in a player that keeps the parameter sets of an earlier init segment
 * (ffmpeg after an HLS {@code EXT-X-MAP} change); ISO/IEC 14496-15 lets {@code avc1}/{@code hvc1}
 * samples repeat the sample entry's parameter sets. Stateless.
 */
public final class InBandParameterSets {
  private InBandParameterSets() {}

  /**
   * The parameter sets of {@code video}'s codec private data, each prefixed with its length in
   * the NAL length size the same data declares.
   *
   * @throws MediaFormatException when the codec private data does not parse, or the codec is not
   *     H.264 or H.265
   */
  public static byte[] of(TrackInfo video) throws MediaFormatException {
    if (CodecIds.isH264(video.codecId())) {
      AvcDecoderConfig avc = AvcDecoderConfig.parse(video.codecPrivate());
      return lengthPrefixed(avc.nalLengthSize(), avc.sps(), avc.pps());
    }
    if (CodecIds.isH265(video.codecId())) {
      HevcDecoderConfig hevc = HevcDecoderConfig.parse(video.codecPrivate());
      return lengthPrefixed(hevc.nalLengthSize(), hevc.vps(), hevc.sps(), hevc.pps());
    }
    throw MediaFormatException.unsupported("no parameter sets for codec " + video.codecId());
  }

  @SafeVarargs
  private static byte[] lengthPrefixed(int lengthSize, List<byte[]>... lists)
      throws MediaFormatException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    for (List<byte[]> list : lists) {
      for (byte[] nal : list) {
        if (lengthSize < 4 && nal.length >= 1L << (8 * lengthSize)) {
          throw MediaFormatException.invalidCodecPrivateData("a parameter set of " + nal.length
              + " bytes does not fit a " + lengthSize + "-byte NAL length");
        }
        for (int shift = 8 * (lengthSize - 1); shift >= 0; shift -= 8) {
          out.write((int) ((long) nal.length >>> shift) & 0xFF);
        }
        out.writeBytes(nal);
      }
    }
    return out.toByteArray();
  }
}
