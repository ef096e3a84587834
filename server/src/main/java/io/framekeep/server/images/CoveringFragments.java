package io.framekeep.server.images;

import io.framekeep.media.FragmentSpan;
import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import io.framekeep.server.StoredHeaders;
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
 *
 * <p>A fragment's end is its start plus its stored length, or, when later, the end of its video
 * track ({@link FragmentSpan}: the stored length is that track's span, which begins after the
 * start when the cluster opens with an audio block ahead of its key frame). So consecutive
 * fragments leave no gap in which an instant would find no media.
 */
final class CoveringFragments {
  /** Rows fetched per index query; 20 s of look-back at one fragment per second fits in one. */
  private static final int PAGE_SIZE = 256;

  private CoveringFragments() {}

  static FragmentRecord at(FragmentLog log, StoredHeaders headers, long streamId,
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
        if (f.serverTimestampMs() < minServerMs || !covers(f, headers, origin, instantMs)) {
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

  private static boolean covers(FragmentRecord f, StoredHeaders headers, TimeOrigin origin,
      long instantMs) throws IOException {
    long start = f.timestampMs(origin);
    if (instantMs < start) {
      return false;
    }
    if (instantMs < start + f.durationMs() || instantMs == start) {
      return true;
    }
    // Past the stored length: the video track may still run on (see the class comment).
    try {
      FragmentSpan span = FragmentSpan.of(headers.get(f.headerId()),
          FrameTable.decode(f.frameTable()));
      return instantMs < start + span.startOffsetMs() + span.durationMs();
    } catch (MediaFormatException e) {
      return false; // FragmentStills reports such a fragment as MEDIA_ERROR when it holds one
    }
  }
}
