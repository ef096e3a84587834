package io.framekeep.storage.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * One ranged GET that serves several wanted ranges of the same object: {@code get} spans them, and the bytes
 * between consecutive {@code pieces} (block and cluster headers, another stream's fragment in a shared object) are
 * read and dropped ({@link PiecesInputStream}) because a short gap costs less than another GET's first-byte
 * latency.
 *
 * @param get the range requested from the object store
 * @param pieces the wanted ranges inside it, in ascending order, not overlapping
 */
record CoalescedGet(ObjectRange get, List<ObjectRange> pieces) {

  /**
   * Groups {@code ranges}, in their order, into GETs: a range joins the previous GET when it is in the same
   * object, starts at or after that GET's end with at most {@code maxGapBytes} between them, and the GET would
   * still span at most {@code maxBytes} (a single longer range gets a GET of its own).
   */
  static List<CoalescedGet> plan(List<ObjectRange> ranges, long maxBytes, long maxGapBytes) {
    List<CoalescedGet> gets = new ArrayList<>(ranges.size());
    ObjectRange span = null;
    List<ObjectRange> pieces = new ArrayList<>();
    for (ObjectRange next : ranges) {
      if (span != null && span.key().equals(next.key()) && next.offset() >= span.end()
          && next.offset() - span.end() <= maxGapBytes && next.end() - span.offset() <= maxBytes) {
        span = new ObjectRange(span.key(), span.offset(), next.end() - span.offset());
      } else {
        if (span != null) {
          gets.add(new CoalescedGet(span, List.copyOf(pieces)));
          pieces.clear();
        }
        span = next;
      }
      pieces.add(next);
    }
    if (span != null) {
      gets.add(new CoalescedGet(span, List.copyOf(pieces)));
    }
    return gets;
  }

  /** The bytes the pieces hold: what a reader of this GET receives. */
  long wantedBytes() {
    long total = 0;
    for (ObjectRange p : pieces) {
      total += p.lengthBytes();
    }
    return total;
  }
}
