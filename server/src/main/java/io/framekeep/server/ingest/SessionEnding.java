package io.framekeep.server.ingest;

import io.framekeep.server.ServiceLimits;

/**
 * How a PutMedia session ends once its sealed fragments are settled: the ERROR ack owed for the
 * fragment in progress ({@code errorId} 0: none; timecode -1 and no number: not tied to a
 * fragment), whether the connection is closed, and whether a newer connection continues the
 * stream.
 *
 * <p>A session ends when its body ends, on an ERROR, on a hand-over, or by one of the
 * timeouts of {@link SessionTimeouts}: the producer silent (AWS's 30 s idle rule, counted only
 * while the server reads the body and owes the producer no PERSISTED ack, so slow storage or the
 * server's own back-pressure never ends a session), its acks not read, or its parsing held back by
 * the memory budget. However it ends, parsing stops first, then the session waits, without holding
 * a thread, for every fragment already handed to storage and acks each PERSISTED as it becomes
 * durable (or ERROR 5001 if storage fails it): a fragment storage will still make durable is
 * never reported lost. That wait is bounded by {@link ServiceLimits#putMediaDurabilityWaitMs}
 * (5 minutes); a fragment still not durable then is acked ERROR 5001 (its persistence could not
 * be confirmed; it may yet appear). Then the fragment in progress, if any, is acked ERROR (the
 * error that ended the session, or 4000 STREAM_READ_ERROR for a timeout), and the response ends;
 * after any ERROR the connection is closed. So a producer sees an ack for every fragment it was
 * sent BUFFERING for, except when the connection itself is lost, or for the unfinished fragment of
 * a hand-over (dropped unacked, see {@link Superseded}). A body that ended normally is never ended by the idle rule:
 * the session stays open until every PERSISTED or ERROR ack is written.
 */
record SessionEnding(int errorId, long timecode, String fragmentNumber, String message,
    boolean close, boolean superseded) {
  /** A superseded connection whose body has not ended this long after its response is closed. */
  static final long SUPERSEDED_DRAIN_MS = 5_000;
  /**
   * How long the last chunk of a response ended with an error may take to leave before the
   * connection is reset anyway ({@link AckResponse#end}): a client that reads nothing never lets
   * it out.
   */
  static final long LAST_CHUNK_GRACE_MS = 5_000;

  /** The body ended: no ERROR, the connection stays open. */
  static SessionEnding clean() {
    return new SessionEnding(0, -1, null, null, false, false);
  }

  /** No ERROR, but the connection is closed (its body may still flow). */
  static SessionEnding closing() {
    return new SessionEnding(0, -1, null, null, true, false);
  }

  /** A newer connection continues the stream: no ERROR, the old body is drained. */
  static SessionEnding handedOver() {
    return new SessionEnding(0, -1, null, null, false, true);
  }
}
