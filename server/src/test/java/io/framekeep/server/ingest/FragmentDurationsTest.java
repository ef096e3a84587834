package io.framekeep.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.media.FragmentSpan;
import io.framekeep.media.FrameTable;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.TrackInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class FragmentDurationsTest {
  private static final TrackInfo VIDEO = new TrackInfo(1, TrackInfo.TYPE_VIDEO, "V_MPEG4/ISO/AVC",
      new byte[0], 0, 320, 240, 0, 0, 0);
  private static final TrackInfo AUDIO = new TrackInfo(2, TrackInfo.TYPE_AUDIO, "A_AAC",
      new byte[0], 0, 0, 0, 48_000, 1, 0);
  private static final MkvHeader AV = new MkvHeader(new byte[0], 1_000_000, List.of(VIDEO, AUDIO));
  private static final MkvHeader AUDIO_ONLY = new MkvHeader(new byte[0], 1_000_000,
      List.of(AUDIO));

  @Test
  void durationMs_30fpsVideoWithoutDeclaredDurations_spansFramesPlusOneSpacing() {
    FrameTable.Builder b = new FrameTable.Builder(1_000_000, 5000);
    for (int i = 0; i < 30; i++) {
      b.add(1, i == 0, i * 1000 / 30, i * 100, 100, 0);
    }
    // 29 spacings cover 966 ms (times truncated to ms); the last frame adds one average spacing.
    assertThat(FragmentDurations.durationMs(AV, b.build())).isBetween(999L, 1000L);
  }

  @Test
  void durationMs_declaredDurationsAndScale_usesFrameEnds() {
    FrameTable.Builder b = new FrameTable.Builder(100_000, 0); // 0.1 ms ticks
    b.add(1, true, 0, 0, 10, 5000);
    b.add(1, false, 5000, 10, 10, 5000);
    assertThat(FragmentDurations.durationMs(AV, b.build())).isEqualTo(1000);
  }

  /**
   * A 2 s GOP of 30 fps video interleaved with 48 kHz AAC (21.333 ms frames) that starts one AAC
   * frame before the key frame and runs past the last video frame, as ffmpeg and kvssink write
   * it: the length is the video's 2.000 s, not the 2.04 s from the first audio to the last.
   */
  @Test
  void durationMs_audioOverhangingVideo_videoSpanOnly() {
    FrameTable.Builder b = new FrameTable.Builder(1_000_000, 10_000);
    for (int i = 0; i < 96; i++) { // audio from -21 ms to 2027 ms
      b.add(2, true, (int) Math.round(-21.333 + i * 21.333), i, 1, 0);
    }
    for (int i = 0; i < 60; i++) {
      b.add(1, i == 0, (int) Math.round(i * 1000.0 / 30), 100 + i, 1, 0);
    }
    assertThat(FragmentDurations.durationMs(AV, b.build())).isEqualTo(2000);
  }

  /** The cluster timecode is an audio block's, 80 ms before the key frame (ffmpeg's clusters). */
  @Test
  void span_clusterStartsWithAudioBeforeKeyFrame_startOffsetIsKeyFrames() {
    FrameTable.Builder b = new FrameTable.Builder(1_000_000, 1941);
    b.add(2, true, 0, 0, 1, 0);
    b.add(1, true, 80, 1, 1, 0);
    b.add(1, false, 113, 2, 1, 0);

    FragmentSpan span = FragmentSpan.of(AV, b.build());

    assertThat(span.startOffsetMs()).isEqualTo(80);
    assertThat(span.durationMs()).isEqualTo(66);
  }

  /** Fragments of a continuous 30 fps stream, times rounded to ms: lengths add up to 60.000 s. */
  @Test
  void durationMs_consecutiveFragmentsOfRoundedTimes_addUpToStreamDuration() {
    long total = 0;
    for (int fragment = 0; fragment < 30; fragment++) {
      long clusterMs = Math.round(fragment * 60 * 1000.0 / 30);
      FrameTable.Builder b = new FrameTable.Builder(1_000_000, clusterMs);
      for (int i = 0; i < 60; i++) {
        long ms = Math.round((fragment * 60 + i) * 1000.0 / 30);
        b.add(1, i == 0, (int) (ms - clusterMs), i, 1, 0);
      }
      total += FragmentDurations.durationMs(AV, b.build());
    }
    assertThat(total).isBetween(59_990L, 60_010L);
  }

  @Test
  void durationMs_audioOnly_audioSpan() {
    FrameTable.Builder b = new FrameTable.Builder(1_000_000, 0);
    for (int i = 0; i < 10; i++) {
      b.add(2, true, i * 20, i, 1, 0);
    }
    assertThat(FragmentDurations.durationMs(AUDIO_ONLY, b.build())).isEqualTo(200);
  }

  @Test
  void durationMs_emptyFragment_isZero() {
    assertThat(FragmentDurations.durationMs(AV, new FrameTable.Builder(1_000_000, 0).build()))
        .isZero();
  }
}
