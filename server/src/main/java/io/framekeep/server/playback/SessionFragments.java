package io.framekeep.server.playback;

import io.framekeep.api.model.PlaybackMode;
import io.framekeep.storage.FragmentCursor;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.TimeOrigin;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Which stored fragments a session shows at a given moment (spec §3.5):
 *
 * <ul>
 *   <li>ON_DEMAND: the first {@code maxFragments} whose start lies in [Start, End]; ended.
 *   <li>LIVE_REPLAY: those in [Start, End] that started no later than the session's first
 *       fragment plus the time since the session began (fragments appear at their natural pace),
 *       the newest {@code maxFragments} of them; ended once End has been reached.
 *   <li>LIVE: the newest {@code maxFragments} by server timestamp; never ended.
 * </ul>
 *
 * Start inclusion follows spec §1.4; with producer timestamps fragments with the same start are
 * collapsed to the earliest ingested one; fragments past the stream's retention and fragments
 * numbered below the session's base are left out. Stateless; thread-safe.
 */
final class SessionFragments {
  /** Index rows fetched per query. */
  private static final int PAGE_SIZE = 256;
  /** LIVE sessions need a fragment this recent to start (spec §3.5: "the last 30 s"). */
  static final long LIVE_START_WINDOW_MS = 30_000;

  /** The fragments shown, in timeline order, and whether the list is final. */
  record Listing(List<FragmentRecord> fragments, boolean ended) {}

  private final FragmentLog log;
  private final long maxFragmentDurationMs;

  SessionFragments(FragmentLog log, long maxFragmentDurationMs) {
    this.log = log;
    this.maxFragmentDurationMs = maxFragmentDurationMs;
  }

  Listing list(PlaybackSession s, long nowMs, long earliestServerMs) {
    if (s.mode() == PlaybackMode.ON_DEMAND) {
      return new Listing(collect(s.streamId(), s.origin(), s.startMs(), s.endMs(),
          s.maxFragments(), false, s.baseSequence(), earliestServerMs), true);
    }
    if (s.mode() == PlaybackMode.LIVE_REPLAY) {
      // Playback starts with the first fragment at or after Start; later ones follow at pace.
      long revealedMs = s.firstFragmentMs() + Math.max(0, nowMs - s.createdMs());
      long toMs = Math.min(s.endMs(), revealedMs);
      boolean ended = s.endMs() != Long.MAX_VALUE && revealedMs >= s.endMs();
      return new Listing(collect(s.streamId(), s.origin(), s.startMs(), toMs, s.maxFragments(),
          true, s.baseSequence(), earliestServerMs), ended);
    }
    return new Listing(live(s.streamId(), s.maxFragments(), nowMs, s.baseSequence(),
        earliestServerMs), false);
  }

  /** The newest {@code max} fragments by server time, looking back far enough to find them. */
  List<FragmentRecord> live(long streamId, int max, long nowMs, long minSequence,
      long earliestServerMs) {
    long lookBackMs = (max + 1L) * maxFragmentDurationMs + LIVE_START_WINDOW_MS;
    return collect(streamId, TimeOrigin.SERVER, nowMs - lookBackMs, Long.MAX_VALUE, max, true,
        minSequence, earliestServerMs);
  }

  /** Whether the stream has a fragment that began receiving in the last 30 s. */
  boolean hasRecentFragment(long streamId, long nowMs, long earliestServerMs) {
    return !collect(streamId, TimeOrigin.SERVER, nowMs - LIVE_START_WINDOW_MS, Long.MAX_VALUE, 1,
        false, Long.MIN_VALUE, earliestServerMs).isEmpty();
  }

  /**
   * Fragments starting in [startMs, endMs] in timeline order: the first {@code max}, or with
   * {@code newest} the last {@code max}.
   */
  private List<FragmentRecord> collect(long streamId, TimeOrigin origin, long startMs, long endMs,
      int max, boolean newest, long minSequence, long earliestServerMs) {
    if (origin == TimeOrigin.SERVER) {
      startMs = Math.max(startMs, earliestServerMs);
    }
    ArrayDeque<FragmentRecord> chosen = new ArrayDeque<>();
    FragmentCursor after = null;
    long lastStartMs = Long.MIN_VALUE;
    while (startMs <= endMs) {
      List<FragmentRecord> page = log.range(streamId, origin, startMs, endMs, after, PAGE_SIZE);
      for (FragmentRecord f : page) {
        after = FragmentCursor.of(f, origin);
        long ts = f.timestampMs(origin);
        if (f.serverTimestampMs() < earliestServerMs || f.sequence() < minSequence) {
          continue;
        }
        if (origin == TimeOrigin.PRODUCER && ts == lastStartMs) {
          continue; // same producer start: the earliest ingested already won
        }
        lastStartMs = ts;
        chosen.addLast(f);
        if (chosen.size() > max) {
          chosen.removeFirst();
        }
        if (!newest && chosen.size() == max) {
          return new ArrayList<>(chosen);
        }
      }
      if (page.size() < PAGE_SIZE) {
        break;
      }
    }
    return new ArrayList<>(chosen);
  }
}
