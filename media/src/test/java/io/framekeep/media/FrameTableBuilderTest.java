package io.framekeep.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameTableBuilderTest {
  @Test
  void capacityBytes_millionFrames_neverJumpsByMoreThanOneGrowthStep() {
    FrameTable.Builder b = new FrameTable.Builder(1_000_000, 0);
    long before = b.capacityBytes();
    long largestStep = 0;
    for (int i = 0; i < FrameTable.MAX_FRAMES; i++) {
      b.add(1, true, 0, i, 1, 0);
      long now = b.capacityBytes();
      largestStep = Math.max(largestStep, now - before);
      before = now;
    }

    assertThat(b.size()).isEqualTo(FrameTable.MAX_FRAMES);
    assertThat(largestStep).isEqualTo((long) FrameTable.Builder.MAX_GROWTH_FRAMES
        * FrameTable.Builder.BUILDER_BYTES_PER_FRAME);
    assertThat(before).isGreaterThanOrEqualTo((long) FrameTable.MAX_FRAMES
        * FrameTable.Builder.BUILDER_BYTES_PER_FRAME);
  }
}
