package io.framekeep.client;

import java.time.Instant;
import java.util.List;

/**
 * Consecutive fragments fetched with one GetClip call over [{@code start}, {@code end}] (both
 * inclusive on fragment start). {@code end} is after {@code start} as GetClip requires, and no
 * fragment outside the piece starts within its range.
 */
record ClipPiece(List<Fragment> fragments, Instant start, Instant end) {
  long sizeBytes() {
    return fragments.stream().mapToLong(Fragment::sizeBytes).sum();
  }

  Fragment last() {
    return fragments.get(fragments.size() - 1);
  }
}
