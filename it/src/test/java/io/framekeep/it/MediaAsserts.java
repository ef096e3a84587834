package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/** Frame-hash comparisons between a clip and its source. */
final class MediaAsserts {
  private MediaAsserts() {}

  /**
   * Every clip frame equals the source frame at {@code sourceOffset + i}, and the clip has
   * exactly {@code expectedCount} frames.
   */
  static void assertFramesEqualSource(List<String> clip, List<String> source, int sourceOffset,
      int expectedCount) {
    assertThat(clip).as("decoded frames in the clip").hasSize(expectedCount);
    assertThat(sourceOffset + expectedCount).as("source frames needed")
        .isLessThanOrEqualTo(source.size());
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < clip.size(); i++) {
      if (!clip.get(i).equals(source.get(sourceOffset + i))) {
        mismatches.add("clip frame " + i + " != source frame " + (sourceOffset + i));
      }
    }
    assertThat(mismatches).as("frames differing from the source").isEmpty();
  }

  /**
   * The clip's coded audio packets are, byte for byte, the source's packets whose presentation
   * time is in {@code [fromMs, toMs)} (source time), in order; returns how many that is.
   *
   * <p>Coded packets rather than decoded frames are compared because ffmpeg's AAC decoder keeps
   * state from frame to frame (beyond the one-frame MDCT overlap), so a clip that starts at a later
   * packet than the source decodes to different samples for most of its length even when every
   * packet is identical (checked by hand: decoding the source from its second packet changes the
   * hashes of about two thirds of all later frames). Decoded audio is checked by sample count and
   * by decoding without errors instead.
   */
  static int assertAudioPacketsEqualSource(List<Ffmpeg.Frame> clip, List<Ffmpeg.Frame> source,
      long fromMs, long toMs) {
    List<String> expected = source.stream()
        .filter(p -> p.ptsMs() >= fromMs && p.ptsMs() < toMs)
        .map(p -> p.sizeBytes() + ":" + p.md5())
        .toList();
    List<String> actual = clip.stream().map(p -> p.sizeBytes() + ":" + p.md5()).toList();
    assertThat(expected).as("source audio packets in [%d, %d) ms", fromMs, toMs).isNotEmpty();
    assertThat(actual).as("clip audio packets (size:md5) vs source packets in [%d, %d) ms",
        fromMs, toMs).containsExactlyElementsOf(expected);
    return expected.size();
  }

  static long totalDurationTicks(List<Ffmpeg.Frame> frames) {
    return frames.stream().mapToLong(Ffmpeg.Frame::durationTicks).sum();
  }
}
