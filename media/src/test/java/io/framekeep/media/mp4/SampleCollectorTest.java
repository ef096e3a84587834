package io.framekeep.media.mp4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.media.MediaFormatException;
import org.junit.jupiter.api.Test;

class SampleCollectorTest {

  @Test
  void collect_moreSamplesThanLimit_unsupported() {
    SyntheticClip clip = SyntheticClip.bFrameClip(2); // 20 video samples
    ClipSource source = clip.finish(SyntheticClip.standardHeader());

    assertThatThrownBy(() -> SampleCollector.collect(source.fragments(), 1, 2, 19))
        .isInstanceOfSatisfying(MediaFormatException.class,
            e -> assertThat(e.kind()).isEqualTo(MediaFormatException.Kind.UNSUPPORTED))
        .hasMessageContaining("more than 19 samples");
  }

  @Test
  void collect_atLimit_accepted() throws MediaFormatException {
    SyntheticClip clip = SyntheticClip.bFrameClip(2);
    ClipSource source = clip.finish(SyntheticClip.standardHeader());

    SampleCollector c = SampleCollector.collect(source.fragments(), 1, -1, 20);

    assertThat(c.video.count()).isEqualTo(20);
    assertThat(c.audio).isNull();
    // The audio bytes between video frames travel inside the runs, unreferenced: one run per
    // fragment, and the payload is exactly the runs.
    assertThat(c.runs).hasSize(source.fragments().size());
    assertThat(c.payloadBytes)
        .isEqualTo(c.runs.stream().mapToLong(SampleRun::lengthBytes).sum())
        .isGreaterThan(java.util.Arrays.stream(c.video.sizes.toArray()).sum());
  }
}
