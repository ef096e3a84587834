package io.framekeep.media.mp4;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.media.MediaFormatException;
import org.junit.jupiter.api.Test;

class TrackTableTest {

  @Test
  void toTimescale_epochNanoseconds_exactWithoutOverflow() throws MediaFormatException {
    long ns = 1_764_000_000_123_456_789L; // 2025 as epoch nanoseconds

    assertThat(TrackTable.toTimescale(ns, 90_000))
        .isEqualTo(1_764_000_000L * 90_000 + 11_111); // 0.123456789 s * 90000 = 11111.11
  }

  @Test
  void toTimescale_thirtyFpsMilliseconds_noAccumulatedDrift() throws MediaFormatException {
    // Each time converts from its own absolute value: 90 ticks per ms, exactly, even days in.
    long ms = 333_333_333L; // frame 10,000,000 of 30 fps, stored as whole milliseconds

    assertThat(TrackTable.toTimescale(ms * 1_000_000, 90_000)).isEqualTo(ms * 90);
  }

  @Test
  void audio_startsBeforeOrigin_trimsWithMediaTime() throws MediaFormatException {
    SampleCollector.TrackSamples samples = new SampleCollector.TrackSamples(2);
    for (int i = 0; i < 10; i++) {
      samples.sizes.add(20);
      samples.timesNs.add(i * 21_333_333L);
    }
    samples.chunkPayloadOffsets.add(0);
    samples.chunkSampleCounts.add(10);
    AudioCodec.AudioFormat format = new AudioCodec.AudioFormat(new byte[] {0x11, (byte) 0x90},
        48_000, 2, 1024);

    TrackTable table = TrackTable.audio(2, samples, 10_000_000L, Long.MAX_VALUE, format);

    assertThat(table.edits).containsExactly(new TrackTable.Edit(204, 480)); // 10 ms = 480 samples
    assertThat(table.mediaDuration).isEqualTo(10_240);
  }

  @Test
  void audio_startsAfterOrigin_emptyEditFirst() throws MediaFormatException {
    SampleCollector.TrackSamples samples = new SampleCollector.TrackSamples(2);
    samples.sizes.add(20);
    samples.timesNs.add(50_000_000L);
    samples.chunkPayloadOffsets.add(0);
    samples.chunkSampleCounts.add(1);
    AudioCodec.AudioFormat format = new AudioCodec.AudioFormat(new byte[] {0x11, (byte) 0x90},
        48_000, 2, 1024);

    TrackTable table = TrackTable.audio(2, samples, 20_000_000L, Long.MAX_VALUE, format);

    assertThat(table.edits).containsExactly(new TrackTable.Edit(30, -1), new TrackTable.Edit(22, 0));
  }

  private static SampleCollector.TrackSamples aacSamples(long... timesNs) {
    SampleCollector.TrackSamples samples = new SampleCollector.TrackSamples(2);
    for (long t : timesNs) {
      samples.sizes.add(20);
      samples.timesNs.add(t);
    }
    samples.chunkPayloadOffsets.add(0);
    samples.chunkSampleCounts.add(timesNs.length);
    return samples;
  }

  private static final AudioCodec.AudioFormat AAC_48K =
      new AudioCodec.AudioFormat(new byte[] {0x11, (byte) 0x90}, 48_000, 2, 1024);

  @Test
  void audio_gapInTimestamps_sampleBeforeItLastsUntilTheNext() throws MediaFormatException {
    // Two samples, then 70 s of nothing (two PutMedia uploads), then two more.
    long gapStartNs = 70_042_667_000L;
    TrackTable table = TrackTable.audio(2,
        aacSamples(0, 21_333_333L, gapStartNs, gapStartNs + 21_333_333L), 0, Long.MAX_VALUE,
        AAC_48K);

    long untilGap = TrackTable.toTimescale(gapStartNs, 48_000) - 1024;
    assertThat(table.stts).containsExactly(1, 1024, 1, untilGap, 2, 1024);
    assertThat(table.mediaDuration).isEqualTo(TrackTable.toTimescale(gapStartNs, 48_000) + 2048);
  }

  @Test
  void audio_timestampsLateByLessThanGap_keepNominalDurations() throws MediaFormatException {
    // The third sample is 99 ms later than the first two last: jitter, not a gap.
    TrackTable table = TrackTable.audio(2,
        aacSamples(0, 21_333_333L, 42_666_667L + 99_000_000L), 0, Long.MAX_VALUE, AAC_48K);

    assertThat(table.stts).containsExactly(3, 1024);
  }
}
