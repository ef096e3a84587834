package io.framekeep.server.images;

import io.framekeep.server.FragmentCoverage;
import io.framekeep.storage.FragmentCursor;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.TimeOrigin;
import java.io.IOException;
import java.util.List;

/**
 * The fragment holding a sampled instant: among fragments whose start timestamp (of the chosen
 * origin) lies in {@code [instant - maxFragmentDuration, instant]} and whose span {@code [start,
 * end)} contains the instant, the one starting last; on equal starts (producer-time duplicates)
 * the earliest ingested, as in GetClip's selection. Fragments expired by retention are treated as
 * gone. None: the instant has no media.
 * A fragment's span is {@link FragmentCoverage}'s, so consecutive fragments leave no gap in which
 * an instant would find no media.
 */
final class CoveringFragments {
  /** Rows fetched per index query; 20 s of look-back at one fragment per second fits in one. */
  private static final int PAGE_SIZE = 256;

  private CoveringFragments() {}

  static FragmentRecord at(FragmentLog log, FragmentCoverage coverage, long streamId,
      TimeOrigin origin, long instantMs, long maxFragmentDurationMs, long minServerMs)
      throws IOException {
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
        if (f.serverTimestampMs() < minServerMs || !coverage.covers(f, origin, instantMs)) {
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

}
