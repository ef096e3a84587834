package io.framekeep.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a range's fragments (from ListFragments, sorted by start) into GetClip pieces on fragment
 * boundaries, each within {@link ClipLimits}. Pure; no I/O.
 *
 * <p>GetClip selects by fragment start, so a piece is the range from its first to its last
 * fragment start. Rules that keep every fragment in exactly one piece:
 * <ul>
 *   <li>fragments with the same start (duplicates from a producer that retried, or server
 *       timestamps of fragments that arrived in one millisecond) stay together;
 *   <li>gaps and overlaps between fragments change nothing: only starts matter;
 *   <li>a piece whose fragments all start at one instant t needs a 1 ms range (GetClip needs end
 *       after start): [t, t+1] when no other fragment starts at t+1, else [t-1, t] when none
 *       starts at t-1; when fragments start at both, the piece joins the next group.
 * </ul>
 * Pieces are planned again in smaller parts ({@link #replan}, {@link #halve}) against the starts
 * of the fragments just outside them in the whole listing, so a part's 1 ms range never reaches a
 * fragment of a neighbouring piece (which would fetch it twice, or lose it when the neighbour
 * shifts). A single fragment over the byte limit still gets a piece of its own (AWS fragments are
 * at most 50 MB, below the 100 MB clip limit).
 */
final class ClipPlanner {
  private static final Duration MIN_RANGE = Duration.ofMillis(1);

  private ClipPlanner() {}

  /** Pieces for a whole range's listing. */
  static List<ClipPiece> plan(List<Fragment> sorted, TimestampType type, ClipLimits limits) {
    return plan(sorted, null, null, type, limits);
  }

  /** The piece planned again under {@code limits}, within its place in the whole listing. */
  static List<ClipPiece> replan(ClipPiece piece, TimestampType type, ClipLimits limits) {
    return plan(piece.fragments(), piece.before(), piece.after(), type, limits);
  }

  /** The piece in two halves on a fragment boundary, or the piece alone when it cannot split. */
  static List<ClipPiece> halve(ClipPiece piece, TimestampType type, ClipLimits limits) {
    int half = (piece.fragments().size() + 1) / 2;
    return replan(piece, type, limits.withMaxFragments(Math.max(1, half)));
  }

  /**
   * @param before start of the fragment before {@code sorted} in the whole listing, or null
   * @param after start of the fragment after {@code sorted} in the whole listing, or null
   */
  private static List<ClipPiece> plan(List<Fragment> sorted, Instant before, Instant after,
      TimestampType type, ClipLimits limits) {
    List<List<Fragment>> parts = new ArrayList<>();
    List<Fragment> current = new ArrayList<>();
    long bytes = 0;
    Instant previous = before;
    for (List<Fragment> g : groupsBySameStart(sorted, type)) {
      long groupBytes = g.stream().mapToLong(Fragment::sizeBytes).sum();
      Instant start = g.get(0).timestamp(type);
      if (!current.isEmpty()) {
        Instant first = current.get(0).timestamp(type);
        boolean full = current.size() + g.size() > limits.maxFragments()
            || bytes + groupBytes > limits.maxBytes()
            || Duration.between(first, start).compareTo(limits.maxSpan()) > 0;
        if (full && standsAlone(current, previous, start, type)) {
          parts.add(current);
          previous = current.get(current.size() - 1).timestamp(type);
          current = new ArrayList<>();
          bytes = 0;
        }
      }
      current.addAll(g);
      bytes += groupBytes;
    }
    if (!current.isEmpty()) {
      if (!parts.isEmpty() && !standsAlone(current, previous, after, type)) {
        parts.get(parts.size() - 1).addAll(current);
      } else {
        parts.add(current);
      }
    }
    List<ClipPiece> pieces = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      Instant pieceBefore = i == 0 ? before : lastStart(parts.get(i - 1), type);
      Instant pieceAfter = i == parts.size() - 1 ? after
          : parts.get(i + 1).get(0).timestamp(type);
      pieces.add(piece(parts.get(i), pieceBefore, pieceAfter, type));
    }
    return pieces;
  }

  private static List<List<Fragment>> groupsBySameStart(List<Fragment> sorted,
      TimestampType type) {
    List<List<Fragment>> groups = new ArrayList<>();
    for (Fragment f : sorted) {
      List<Fragment> last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
      if (last != null && last.get(0).timestamp(type).equals(f.timestamp(type))) {
        last.add(f);
      } else {
        List<Fragment> g = new ArrayList<>();
        g.add(f);
        groups.add(g);
      }
    }
    return groups;
  }

  /**
   * Whether these fragments have a GetClip range of their own that no neighbour starts in:
   * always when they span more than one instant; at a single instant t, when no neighbour starts
   * at t+1 or none at t-1.
   */
  private static boolean standsAlone(List<Fragment> fragments, Instant before, Instant after,
      TimestampType type) {
    Instant first = fragments.get(0).timestamp(type);
    if (lastStart(fragments, type).isAfter(first)) {
      return true;
    }
    return freeAfter(first, after) || freeBefore(first, before);
  }

  private static boolean freeAfter(Instant t, Instant after) {
    return after == null || after.isAfter(t.plus(MIN_RANGE));
  }

  private static boolean freeBefore(Instant t, Instant before) {
    return before == null || before.isBefore(t.minus(MIN_RANGE));
  }

  private static Instant lastStart(List<Fragment> fragments, TimestampType type) {
    return fragments.get(fragments.size() - 1).timestamp(type);
  }

  private static ClipPiece piece(List<Fragment> fragments, Instant before, Instant after,
      TimestampType type) {
    Instant start = fragments.get(0).timestamp(type);
    Instant end = lastStart(fragments, type);
    if (end.isAfter(start)) {
      return new ClipPiece(List.copyOf(fragments), start, end, before, after);
    }
    // One instant: reach into whichever neighbouring millisecond no other fragment starts in.
    if (!freeAfter(start, after) && freeBefore(start, before)) {
      return new ClipPiece(List.copyOf(fragments), start.minus(MIN_RANGE), start, before, after);
    }
    return new ClipPiece(List.copyOf(fragments), start, start.plus(MIN_RANGE), before, after);
  }
}
