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
 *   <li>fragments with the same start (duplicates from a producer that retried) stay together;
 *   <li>gaps and overlaps between fragments change nothing: only starts matter;
 *   <li>a piece whose fragments all start at one instant ends 1 ms later (GetClip needs end after
 *       start); if the next fragment starts exactly then, it joins the piece.
 * </ul>
 * A single fragment over the byte limit still gets a piece of its own (AWS fragments are at most
 * 50 MB, below the 100 MB clip limit).
 */
final class ClipPlanner {
  private static final Duration MIN_RANGE = Duration.ofMillis(1);

  private ClipPlanner() {}

  static List<ClipPiece> plan(List<Fragment> sorted, TimestampType type, ClipLimits limits) {
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
    List<ClipPiece> pieces = new ArrayList<>();
    List<Fragment> current = new ArrayList<>();
    long bytes = 0;
    for (List<Fragment> g : groups) {
      long groupBytes = g.stream().mapToLong(Fragment::sizeBytes).sum();
      Instant start = g.get(0).timestamp(type);
      if (!current.isEmpty()) {
        Instant first = current.get(0).timestamp(type);
        Instant last = current.get(current.size() - 1).timestamp(type);
        boolean full = current.size() + g.size() > limits.maxFragments()
            || bytes + groupBytes > limits.maxBytes()
            || Duration.between(first, start).compareTo(limits.maxSpan()) > 0;
        boolean mustJoin = first.equals(last) && start.equals(first.plus(MIN_RANGE));
        if (full && !mustJoin) {
          pieces.add(piece(current, type));
          current = new ArrayList<>();
          bytes = 0;
        }
      }
      current.addAll(g);
      bytes += groupBytes;
    }
    if (!current.isEmpty()) {
      pieces.add(piece(current, type));
    }
    return pieces;
  }

  /** The piece in two halves on a fragment boundary, or the piece alone when it cannot split. */
  static List<ClipPiece> halve(ClipPiece piece, TimestampType type, ClipLimits limits) {
    int half = (piece.fragments().size() + 1) / 2;
    return plan(piece.fragments(), type, limits.withMaxFragments(Math.max(1, half)));
  }

  private static ClipPiece piece(List<Fragment> fragments, TimestampType type) {
    Instant start = fragments.get(0).timestamp(type);
    Instant end = fragments.get(fragments.size() - 1).timestamp(type);
    return new ClipPiece(List.copyOf(fragments), start,
        end.isAfter(start) ? end : start.plus(MIN_RANGE));
  }
}
