package io.framekeep.media.fuzz;

import static io.framekeep.media.fuzz.CheckingListener.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.codec.AacAudioSpecificConfig;
import io.framekeep.media.codec.AvcDecoderConfig;
import io.framekeep.media.codec.AvcSps;
import io.framekeep.media.codec.HevcDecoderConfig;
import io.framekeep.media.codec.HevcSps;
import io.framekeep.media.codec.WaveFormatEx;
import java.util.List;
import java.util.Arrays;
import java.util.Set;

/**
 * Fuzzes the codec private data parsers, which read bytes straight from a producer's Tracks.
 *
 * <p>Input: byte 0 chooses the parser by remainder ({@link #PARSERS} of them: avcC, H.264 SPS,
 * AudioSpecificConfig, hvcC, H.265 SPS, WAVEFORMATEX), the rest is the codec private data. On success the parsed fields must be in their documented ranges; the only
 * acceptable failure is {@link MediaFormatException}. Each parser's work is bounded by its input,
 * so the allocation budget is a small multiple of the input length.
 */
class CodecPrivateDataFuzzTest {
  static final int AVC_DECODER_CONFIG = 0;
  static final int AVC_SPS = 1;
  static final int AAC_AUDIO_SPECIFIC_CONFIG = 2;
  static final int HEVC_DECODER_CONFIG = 3;
  static final int HEVC_SPS = 4;
  static final int WAVE_FORMAT_EX = 5;
  private static final int PARSERS = 6;
  private static final AllocationBudget BUDGET =
      new AllocationBudget("codec private data", 64 * 1024, 64);
  private static final Set<Integer> AAC_FRAME_LENGTHS = Set.of(960, 1024, 2048);

  @FuzzTest(maxDuration = "20s")
  void parse_anyBytes_onlyMediaFormatExceptionAndFieldsInRange(byte[] data) throws Exception {
    Watchdog.run(data, () -> BUDGET.run(data.length, () -> parse(data)));
  }

  private static void parse(byte[] data) {
    if (data.length == 0) {
      return;
    }
    byte[] cpd = Arrays.copyOfRange(data, 1, data.length);
    try {
      switch ((data[0] & 0xFF) % PARSERS) {
        case AVC_DECODER_CONFIG:
          checkAvc(AvcDecoderConfig.parse(cpd), cpd);
          break;
        case AVC_SPS:
          AvcSps sps = AvcSps.parse(cpd);
          check(sps.width() > 0 && sps.height() > 0, "SPS picture size " + sps);
          check(sps.chromaFormatIdc() >= 0 && sps.chromaFormatIdc() <= 3, "chroma_format_idc");
          break;
        case HEVC_DECODER_CONFIG:
          HevcDecoderConfig hevc = HevcDecoderConfig.parse(cpd);
          check(Arrays.equals(hevc.raw(), cpd), "raw bytes not kept");
          checkRecord(hevc.nalLengthSize(), hevc.sps(), cpd.length, hevc.vps(), hevc.sps(),
              hevc.pps());
          check(hevc.width() >= 0 && hevc.height() >= 0, "picture size");
          break;
        case HEVC_SPS:
          HevcSps hevcSps = HevcSps.parse(cpd);
          check(hevcSps.width() > 0 && hevcSps.height() > 0, "SPS picture size " + hevcSps);
          check(hevcSps.chromaFormatIdc() >= 0 && hevcSps.chromaFormatIdc() <= 3,
              "chroma_format_idc");
          break;
        case WAVE_FORMAT_EX:
          WaveFormatEx wfx = WaveFormatEx.parse(cpd);
          check(wfx.formatTag() == WaveFormatEx.FORMAT_ALAW
              || wfx.formatTag() == WaveFormatEx.FORMAT_MULAW, "format tag " + wfx.formatTag());
          check(wfx.channels() >= 1 && wfx.channels() <= WaveFormatEx.MAX_CHANNELS, "channels");
          check(wfx.sampleRateHz() >= WaveFormatEx.MIN_SAMPLE_RATE_HZ
              && wfx.sampleRateHz() <= WaveFormatEx.MAX_SAMPLE_RATE_HZ, "sample rate");
          check(wfx.bitsPerSample() == WaveFormatEx.G711_BITS_PER_SAMPLE, "bits per sample");
          check(wfx.extraSize() >= 0, "cbSize");
          break;
        default:
          AacAudioSpecificConfig aac = AacAudioSpecificConfig.parse(cpd);
          check(Arrays.equals(aac.raw(), cpd), "raw bytes not kept");
          check(aac.objectType() > 0, "object type " + aac.objectType());
          check(aac.sampleRateHz() > 0, "sample rate " + aac.sampleRateHz());
          check(aac.channelCount() >= 0, "channel count " + aac.channelCount());
          check(AAC_FRAME_LENGTHS.contains(aac.samplesPerFrame()), "samples per frame");
          break;
      }
    } catch (MediaFormatException expected) {
      // Refused: the only acceptable failure.
    }
  }

  private static void checkAvc(AvcDecoderConfig avc, byte[] cpd) {
    check(Arrays.equals(avc.raw(), cpd), "raw bytes not kept");
    checkRecord(avc.nalLengthSize(), avc.sps(), cpd.length, avc.sps(), avc.pps());
    check(avc.width() >= 0 && avc.height() >= 0, "picture size");
  }

  /** What avcC and hvcC records share: the length size, an SPS, parameter sets within the record. */
  @SafeVarargs
  private static void checkRecord(int nalLengthSize, List<byte[]> sps, int recordBytes,
      List<byte[]>... parameterSets) {
    check(Set.of(1, 2, 4).contains(nalLengthSize), "NAL length size " + nalLengthSize);
    check(!sps.isEmpty(), "no SPS");
    long nalBytes = 0;
    for (List<byte[]> list : parameterSets) {
      for (byte[] nal : list) {
        check(nal.length > 0, "empty parameter set");
        nalBytes += nal.length;
      }
    }
    check(nalBytes <= recordBytes, "parameter sets longer than the record");
  }
}
