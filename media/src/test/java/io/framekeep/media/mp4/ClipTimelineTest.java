package io.framekeep.media.mp4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClipTimelineTest {
  private static final long START_MS = 1_764_000_000_000L; // 2025, epoch milliseconds

  private static FrameTable fragment(long timecodeScaleNs, long clusterTicks) {
    return new FrameTable.Builder(timecodeScaleNs, clusterTicks).add(1, true, 0, 0, 10, 0).build();
  }

  @Test
  void offsetsNs_noProducerTimestamps_matroskaTimeUnchanged() throws MediaFormatException {
    List<FrameTable> fragments = List.of(fragment(1_000_000, 0), fragment(1_000_000, 1000));

    assertThat(ClipTimeline.offsetsNs(fragments, null)).containsExactly(0, 0);
  }

  @Test
  void offsetsNs_twoRelativeSessions_secondTakesItsOwnBase() throws MediaFormatException {
    // Both sessions count from cluster time 0; the second started 80 s after the first.
    List<FrameTable> fragments = List.of(fragment(1_000_000, 21), fragment(1_000_000, 1021),
        fragment(1_000_000, 21), fragment(1_000_000, 1021));
    List<Long> producerMs = List.of(START_MS + 21, START_MS + 1021, START_MS + 80_021,
        START_MS + 81_021);

    assertThat(ClipTimeline.offsetsNs(fragments, producerMs)).containsExactly(
        START_MS * 1_000_000, START_MS * 1_000_000, (START_MS + 80_000) * 1_000_000,
        (START_MS + 80_000) * 1_000_000);
  }

  @Test
  void offsetsNs_subMillisecondScale_oneSessionKeepsOneOffset() throws MediaFormatException {
    // 100 µs ticks: producer timestamps are the cluster times rounded down to whole milliseconds,
    // so the raw offsets wobble by up to 0.9 ms; frame spacing must not.
    List<FrameTable> fragments = List.of(fragment(100_000, 5), fragment(100_000, 10_009),
        fragment(100_000, 20_003));
    List<Long> producerMs = List.of(START_MS, START_MS + 1000, START_MS + 2000);

    long first = START_MS * 1_000_000 - 500_000;
    assertThat(ClipTimeline.offsetsNs(fragments, producerMs)).containsExactly(first, first, first);
  }

  @Test
  void offsetsNs_producerTimestampOverflowsNanoseconds_malformed() {
    List<FrameTable> fragments = List.of(fragment(1_000_000, 0));

    assertThatThrownBy(() -> ClipTimeline.offsetsNs(fragments, List.of(Long.MAX_VALUE / 1000)))
        .isInstanceOf(MediaFormatException.class).hasMessageContaining("overflows");
  }
}
