package io.framekeep.media.mp4;

import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import java.util.List;

/**
 * Puts the fragments of a clip on one timeline. A fragment's frame times are Matroska times of
 * the PutMedia session that sent it: with RELATIVE timecodes each session counts from its own
 * zero, so two uploads into one stream both start near 0 and their frames would interleave if
 * taken as they are. The producer timestamp of each fragment (start timestamp plus cluster time)
 * says where it really lies; the clip timeline is producer time in nanoseconds since the epoch.
 *
 * <p>Each fragment gets an offset added to its Matroska times. Producer timestamps are whole
 * milliseconds (the cluster time rounded down), so within one session the raw offset {@code
 * producerMs * 10^6 - clusterNs} wobbles by less than a millisecond from fragment to fragment
 * when the timecode scale is finer than 1 ms; an offset within {@link #SAME_SESSION_TOLERANCE_NS}
 * of the previous fragment's is taken to be the same session and keeps that offset exactly, so
 * frame spacing inside a session is never disturbed. Any larger change is a new timecode base (a
 * new session, or a producer that jumped its clock) and takes the new offset. Stateless.
 */
final class ClipTimeline {
  private static final long NS_PER_MS = 1_000_000L;
  /**
   * Largest change of raw offset still read as one session: the rounding of a producer timestamp
   * to whole milliseconds moves it by less than this.
   */
  static final long SAME_SESSION_TOLERANCE_NS = NS_PER_MS;

  private ClipTimeline() {}

  /**
   * Offsets (ns) to add to each fragment's Matroska times.
   *
   * @param producerTimestampsMs producer timestamp of each fragment, or null to keep Matroska
   *     time as the timeline (all offsets 0)
   * @throws MediaFormatException malformed when a timestamp overflows 64-bit nanoseconds
   */
  static long[] offsetsNs(List<FrameTable> fragments, List<Long> producerTimestampsMs)
      throws MediaFormatException {
    long[] offsets = new long[fragments.size()];
    if (producerTimestampsMs == null) {
      return offsets;
    }
    for (int f = 0; f < offsets.length; f++) {
      FrameTable table = fragments.get(f);
      long raw;
      boolean sameSession;
      try {
        raw = Math.subtractExact(Math.multiplyExact(producerTimestampsMs.get(f), NS_PER_MS),
            Math.multiplyExact(table.clusterTimecodeTicks(), table.timecodeScaleNs()));
        sameSession = f > 0
            && Math.abs(Math.subtractExact(raw, offsets[f - 1])) < SAME_SESSION_TOLERANCE_NS;
      } catch (ArithmeticException e) {
        throw MediaFormatException.malformed(
            "fragment " + f + " producer timestamp overflows 64-bit nanoseconds", e);
      }
      offsets[f] = sameSession ? offsets[f - 1] : raw;
    }
    return offsets;
  }
}
