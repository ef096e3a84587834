package io.framekeep.server.images;

import io.framekeep.storage.FragmentCursor;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.TimeOrigin;
import java.util.List;

/**
 * The fragment holding a sampled instant: among fragments whose start timestamp (of the chosen
 * origin) lies in {@code [instant - maxFragmentDuration, instant]} and whose span {@code [start,
 * start + duration)} contains the instant, the one starting last; on equal starts (producer-time
 * duplicates) the earliest ingested, as in GetClip's selection. Fragments expired by retention are
 * treated as gone. None: the instant has no media.
 */
final class CoveringFragments {
  /** Rows fetched per index query; 20 s of look-back at one fragment per second fits in one. */
  private static final int PAGE_SIZE = 256;

  private CoveringFragments() {}

  static FragmentRecord at(FragmentLog log, long streamId, TimeOrigin origin, long instantMs,
      long maxFragmentDurationMs, long minServerMs) {
    long from = instantMs - maxFragmentDurationMs;
    if (origin == TimeOrigin.SERVER) {
      from = Math.max(from, minServerMs);
    }
    if (from > instantMs) {
      return null;
    }
    FragmentRecord found = null;
    FragmentCursor after = null;
    while (true) {
      List<FragmentRecord> page = log.range(streamId, origin, from, instantMs, after, PAGE_SIZE);
      for (FragmentRecord f : page) {
        after = FragmentCursor.of(f, origin);
        if (f.serverTimestampMs() < minServerMs || !covers(f, origin, instantMs)) {
          continue;
        }
        // Rows come in (timestamp, sequence) order: a later start wins, an equal start does not.
        if (found == null || f.timestampMs(origin) > found.timestampMs(origin)) {
          found = f;
        }
      }
      if (page.size() < PAGE_SIZE) {
        return found;
      }
    }
  }

  private static boolean covers(FragmentRecord f, TimeOrigin origin, long instantMs) {
    long start = f.timestampMs(origin);
    return instantMs >= start && (instantMs < start + f.durationMs() || instantMs == start);
  }
}
