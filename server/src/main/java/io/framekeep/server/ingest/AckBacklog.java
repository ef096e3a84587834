package io.framekeep.server.ingest;

import io.framekeep.server.memory.MemoryBudget;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The acks of one PutMedia session written to the connection but not yet taken by the client
 * (queued in Netty's outbound buffer or the socket). A producer that does not read its acks must
 * not make the server hold them without end: past {@link #MAX_UNSENT_ACK_BYTES} the session stops
 * parsing (and so, once its small input queue fills, stops reading) until the client has taken
 * enough to fall below {@link #RESUME_BELOW_BYTES}. The bytes are charged to the server's {@link
 * MemoryBudget} meanwhile. How long the backlog has been past its bound with no ack taken ({@link
 * #stalledMs}) lets the session end a client that does not read at all.
 *
 * <p>Thread-safe: {@link #queued} is called by the session's executor, {@link #sent} by the event
 * loop when a write completes (or fails: a closed connection holds nothing).
 */
final class AckBacklog {
  /**
   * 64 KiB, about 400 acks: a producer reading its acks keeps this near zero (each ack leaves as
   * it is written), so only a client that stopped reading reaches it.
   */
  static final long MAX_UNSENT_ACK_BYTES = 64 * 1024;
  /** Resume once a quarter is left, so a slow reader is not woken for every ack. */
  static final long RESUME_BELOW_BYTES = 16 * 1024;

  private final MemoryBudget budget;
  private final Clock clock;
  private final AtomicLong unsentBytes = new AtomicLong();
  /** When the backlog last went past its bound, or an ack last left: the later is the stall's start. */
  private volatile long overBoundSinceMs;
  private volatile long lastSentMs;
  /** Completes when the backlog falls below the resume mark; null while nobody waits. */
  private CompletableFuture<Void> drained;

  AckBacklog(MemoryBudget budget, Clock clock) {
    this.budget = budget;
    this.clock = clock;
  }

  /** An ack of {@code bytes} was handed to the connection. */
  void queued(int bytes) {
    long unsent = unsentBytes.addAndGet(bytes);
    if (unsent > MAX_UNSENT_ACK_BYTES && unsent - bytes <= MAX_UNSENT_ACK_BYTES) {
      overBoundSinceMs = clock.millis();
    }
    budget.charge(bytes);
  }

  /** An ack of {@code bytes} left the server (or was dropped with its connection). */
  void sent(int bytes) {
    lastSentMs = clock.millis();
    long left = unsentBytes.addAndGet(-bytes);
    budget.release(bytes);
    if (left < RESUME_BELOW_BYTES) {
      wake();
    }
  }

  long unsentBytes() {
    return unsentBytes.get();
  }

  /**
   * How long, at {@code nowMs}, the backlog has been past its bound without the client taking any
   * ack; 0 while it is within the bound.
   */
  long stalledMs(long nowMs) {
    if (unsentBytes.get() <= MAX_UNSENT_ACK_BYTES) {
      return 0;
    }
    return Math.max(0, nowMs - Math.max(overBoundSinceMs, lastSentMs));
  }

  /**
   * Null while the backlog is within its bound; otherwise a future that completes once the client
   * has taken enough acks.
   */
  CompletableFuture<Void> overBound() {
    if (unsentBytes.get() <= MAX_UNSENT_ACK_BYTES) {
      return null;
    }
    CompletableFuture<Void> f;
    synchronized (this) {
      if (drained == null) {
        drained = new CompletableFuture<>();
      }
      f = drained;
    }
    // A write may have completed between the check and registering: do not wait for nothing.
    if (unsentBytes.get() < RESUME_BELOW_BYTES) {
      wake();
    }
    return f;
  }

  private void wake() {
    CompletableFuture<Void> f;
    synchronized (this) {
      f = drained;
      drained = null;
    }
    if (f != null) {
      f.complete(null);
    }
  }
}
