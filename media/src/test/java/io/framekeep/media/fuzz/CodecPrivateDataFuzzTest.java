package io.framekeep.media.fuzz;

import static io.framekeep.media.fuzz.CheckingListener.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.codec.AacAudioSpecificConfig;
import io.framekeep.media.codec.AvcDecoderConfig;
import io.framekeep.media.codec.AvcSps;
import java.util.Arrays;
import java.util.Set;

/**
 * Fuzzes the codec private data parsers, which read bytes straight from a producer's Tracks.
 *
 * <p>Input: byte 0 chooses the parser ({@link #PARSERS} of them, by remainder), the rest is the
 * codec private data. On success the parsed fields must be in their documented ranges; the only
 * acceptable failure is {@link MediaFormatException}. Each parser's work is bounded by its input,
 * so the allocation budget is a small multiple of the input length.
 */
class CodecPrivateDataFuzzTest {
  static final int AVC_DECODER_CONFIG = 0;
  static final int AVC_SPS = 1;
  static final int AAC_AUDIO_SPECIFIC_CONFIG = 2;
  private static final int PARSERS = 3;
  private static final AllocationBudget BUDGET =
      new AllocationBudget("codec private data", 64 * 1024, 64);
  private static final Set<Integer> AAC_FRAME_LENGTHS = Set.of(960, 1024, 2048);

  @FuzzTest(maxDuration = "15s")
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
    check(Set.of(1, 2, 4).contains(avc.nalLengthSize()), "NAL length size " + avc.nalLengthSize());
    check(!avc.sps().isEmpty(), "no SPS");
    long nalBytes = 0;
    for (byte[] nal : avc.sps()) {
      nalBytes += nal.length;
    }
    for (byte[] nal : avc.pps()) {
      nalBytes += nal.length;
    }
    check(nalBytes <= cpd.length, "parameter sets longer than the record");
    check(avc.width() >= 0 && avc.height() >= 0, "picture size");
  }
}
