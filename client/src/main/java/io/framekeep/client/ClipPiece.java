package io.framekeep.client;

import java.time.Instant;
import java.util.List;

/**
 * Consecutive fragments fetched with one GetClip call over [{@code start}, {@code end}] (both
 * inclusive on fragment start). {@code end} is after {@code start} as GetClip requires, and no
 * fragment outside the piece starts within its range.
 *
 * @param before start of the fragment just before the piece in the whole range's listing, or null
 *     when the piece is first; a piece re-planned in smaller parts must not reach back to it
 * @param after start of the fragment just after the piece in the whole listing, or null when the
 *     piece is last; a re-planned part must not reach forward to it
 */
record ClipPiece(List<Fragment> fragments, Instant start, Instant end, Instant before,
    Instant after) {
  long sizeBytes() {
    return fragments.stream().mapToLong(Fragment::sizeBytes).sum();
  }

  Fragment last() {
    return fragments.get(fragments.size() - 1);
  }
}
