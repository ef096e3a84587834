package io.framekeep.server.ingest;

import io.framekeep.media.FrameTable;
import java.util.HashMap;
import java.util.Map;

/**
 * The playback length of a fragment from its frame table, as ListFragments reports it
 * ({@code FragmentLengthInMilliseconds}): from its earliest frame to the end of its latest frame.
 * A frame's end is its time plus its declared duration, or, when the block declared none, plus
 * the average spacing of that track's frames in the fragment.
 */
final class FragmentDurations {
  private FragmentDurations() {}

  static long durationMs(FrameTable frames) {
    int n = frames.size();
    if (n == 0) {
      return 0;
    }
    Map<Integer, long[]> perTrack = new HashMap<>(); // min time, max time, count
    long startTicks = Long.MAX_VALUE;
    long endTicks = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      long t = frames.timeTicks(i);
      long[] s = perTrack.computeIfAbsent(frames.trackNumber(i),
          k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE, 0});
      s[0] = Math.min(s[0], t);
      s[1] = Math.max(s[1], t);
      s[2]++;
      startTicks = Math.min(startTicks, t);
      if (frames.durationTicks(i) > 0) {
        endTicks = Math.max(endTicks, t + frames.durationTicks(i));
      }
    }
    for (long[] s : perTrack.values()) {
      long spacing = s[2] > 1 ? (s[1] - s[0]) / (s[2] - 1) : 0;
      endTicks = Math.max(endTicks, s[1] + spacing);
    }
    return (endTicks - startTicks) * frames.timecodeScaleNs() / 1_000_000L;
  }
}
