package io.framekeep.server.archive;

import io.framekeep.storage.FragmentCursor;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.TimeOrigin;
import java.util.ArrayList;
import java.util.List;

/**
 * KVS fragment selection for GetClip (spec §1.4, §3.1): fragments whose start timestamp of the
 * chosen origin lies in [start, end] (both inclusive; a fragment straddling the start is left out,
 * one straddling the end is kept), in timestamp order; with producer timestamps, fragments with the
 * same start are collapsed to the earliest ingested one; the result is cut after
 * {@code maxFragments} fragments or before the payload would pass {@code maxBytes}. Fragments
 * whose server timestamp is before {@code minServerMs} (expired by retention) are treated as gone.
 */
final class ClipSelection {
  /** Rows fetched per index query; a clip needs at most a few pages. */
  private static final int PAGE_SIZE = 256;

  private ClipSelection() {}

  /**
   * Where the fragment holding {@code startMs} starts: the latest fragment start at or before it,
   * looking back at most {@code lookBackMs} (the longest a fragment can be), else {@code startMs}.
   * Exact trimming selects from there, so that the requested start is inside the clip.
   */
  static long startOfFragmentAt(FragmentLog log, long streamId, TimeOrigin origin, long startMs,
      long lookBackMs, long minServerMs) {
    long from = startMs - lookBackMs;
    if (origin == TimeOrigin.SERVER) {
      from = Math.max(from, minServerMs);
    }
    long found = startMs;
    FragmentCursor after = null;
    while (true) {
      List<FragmentRecord> page = log.range(streamId, origin, from, startMs, after, PAGE_SIZE);
      for (FragmentRecord f : page) {
        after = FragmentCursor.of(f, origin);
        if (f.serverTimestampMs() >= minServerMs) {
          found = f.timestampMs(origin); // rows come in timestamp order: the last one wins
        }
      }
      if (page.size() < PAGE_SIZE) {
        return found;
      }
    }
  }

  static List<FragmentRecord> select(FragmentLog log, long streamId, TimeOrigin origin,
      long startMs, long endMs, int maxFragments, long maxBytes) {
    return select(log, streamId, origin, startMs, endMs, maxFragments, maxBytes, Long.MIN_VALUE);
  }

  static List<FragmentRecord> select(FragmentLog log, long streamId, TimeOrigin origin,
      long startMs, long endMs, int maxFragments, long maxBytes, long minServerMs) {
    if (origin == TimeOrigin.SERVER) {
      startMs = Math.max(startMs, minServerMs);
    }
    List<FragmentRecord> chosen = new ArrayList<>();
    long bytes = 0;
    FragmentCursor after = null;
    long lastProducerMs = Long.MIN_VALUE;
    while (chosen.size() < maxFragments) {
      List<FragmentRecord> page = log.range(streamId, origin, startMs, endMs, after, PAGE_SIZE);
      for (FragmentRecord f : page) {
        long ts = origin == TimeOrigin.PRODUCER ? f.producerTimestampMs() : f.serverTimestampMs();
        after = new FragmentCursor(ts, f.sequence());
        if (f.serverTimestampMs() < minServerMs) {
          continue; // expired: as if already deleted
        }
        if (origin == TimeOrigin.PRODUCER && ts == lastProducerMs) {
          continue; // same producer start: the earliest ingested (lowest sequence) already won
        }
        lastProducerMs = ts;
        if (bytes + f.lengthBytes() > maxBytes && !chosen.isEmpty()) {
          return chosen;
        }
        chosen.add(f);
        bytes += f.lengthBytes();
        if (chosen.size() == maxFragments) {
          return chosen;
        }
      }
      if (page.size() < PAGE_SIZE) {
        break;
      }
    }
    return chosen;
  }
}
