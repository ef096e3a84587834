package io.framekeep.server.ingest;

import io.framekeep.server.ServiceLimits;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The three rules that end a PutMedia session whose body has stopped moving, each timed only for
 * what it is about, so that a wait of the server's own (storage slow to make fragments durable,
 * its input queue working through the body) is never taken for the producer's silence:
 * <ul>
 *   <li>{@link Reason#IDLE}: the producer sent nothing for {@link
 *       ServiceLimits#putMediaIdleTimeoutMs} (AWS's 30 s) while it owed the server data: the body
 *       is being read (not paused by the server), has not ended, nothing of it waits to be parsed,
 *       and no fragment waits for durability (its PERSISTED ack is the server's to send);
 *   <li>{@link Reason#UNREAD_ACKS}: the session's unsent acks are past their bound ({@link
 *       AckBacklog}, so its body is no longer read) and the client took none of them for {@link
 *       ServiceLimits#putMediaUnreadAcksTimeoutMs};
 *   <li>{@link Reason#MEMORY_BUDGET}: the session's parsing has waited for room in the spent memory
 *       budget for {@link ServiceLimits#putMediaBudgetPauseTimeoutMs} without parsing a byte.
 * </ul>
 *
 * The session checks them every IDLE-ack period ({@link #start}), when it also asks whether an
 * IDLE ack is due ({@link #idleAckDue}).
 *
 * <p>Threading: all but {@link #budgetWaitStarted} and {@link #budgetWaitEnded} run on the
 * connection's event loop; those two on the session's serial executor.
 */
final class SessionTimeouts {
  /** Which rule ended a session. */
  enum Reason { IDLE, UNREAD_ACKS, MEMORY_BUDGET }

  /** A rule's verdict: the session has been stuck for {@code ms} by {@code reason}. */
  record Overdue(Reason reason, long ms) {
    /** For the log: what the server saw. */
    String message() {
      return switch (reason) {
        case IDLE -> "no data for " + ms + " ms";
        case UNREAD_ACKS -> "no ack read by the client for " + ms + " ms";
        case MEMORY_BUDGET -> "held back by the memory budget for " + ms + " ms";
      };
    }
  }

  private final ServiceLimits limits;
  private final AckBacklog backlog;
  private ScheduledFuture<?> timer;
  /** When body bytes last arrived. */
  private long lastDataMs;
  /** Silence counts from here: the last body bytes, or the last moment the server held the body. */
  private long silenceFromMs;
  /** When the parsing began to wait for the budget, without parsing since; 0 when not waiting. */
  private volatile long budgetWaitSinceMs;

  SessionTimeouts(ServiceLimits limits, AckBacklog backlog, long startMs) {
    this.limits = limits;
    this.backlog = backlog;
    this.silenceFromMs = startMs;
    this.lastDataMs = startMs;
  }

  /** Runs {@code check} on {@code loop} every IDLE-ack period until {@link #stop}. */
  void start(EventExecutor loop, Runnable check) {
    long periodMs = limits.putMediaIdleAckPeriodMs();
    timer = loop.scheduleAtFixedRate(check, periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  void stop() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** Body bytes arrived. */
  void heard(long nowMs) {
    lastDataMs = nowMs;
    restartSilence(nowMs);
  }

  /**
   * Whether to send an IDLE ack (a keep-alive, whatever holds the session up): no body bytes for
   * an IDLE-ack period, and the client takes its acks (no use adding to a backlog nobody reads).
   */
  boolean idleAckDue(long nowMs) {
    return nowMs - lastDataMs >= limits.putMediaIdleAckPeriodMs()
        && backlog.unsentBytes() <= AckBacklog.MAX_UNSENT_ACK_BYTES;
  }

  /** Body bytes arrived, or the server stopped holding the session: silence counts from here. */
  void restartSilence(long nowMs) {
    silenceFromMs = Math.max(silenceFromMs, nowMs);
  }

  /** The parsing waits for the budget (if it already did, the first wait's start stands). */
  void budgetWaitStarted(long nowMs) {
    if (budgetWaitSinceMs == 0) {
      budgetWaitSinceMs = nowMs;
    }
  }

  /** The parsing goes on. */
  void budgetWaitEnded() {
    budgetWaitSinceMs = 0;
  }

  /**
   * The rule that ends the session at {@code nowMs}, or null.
   *
   * @param producerOwesData whether the server now reads the body, has parsed all it received and
   *     owes no PERSISTED ack, so that nothing but the producer's silence holds the session up
   */
  Overdue overdue(long nowMs, boolean producerOwesData) {
    if (!producerOwesData) {
      restartSilence(nowMs);
    }
    long silentMs = nowMs - silenceFromMs;
    if (silentMs >= limits.putMediaIdleTimeoutMs()) {
      return new Overdue(Reason.IDLE, silentMs);
    }
    long stalledMs = backlog.stalledMs(nowMs);
    if (stalledMs >= limits.putMediaUnreadAcksTimeoutMs()) {
      return new Overdue(Reason.UNREAD_ACKS, stalledMs);
    }
    long budgetSinceMs = budgetWaitSinceMs;
    if (budgetSinceMs != 0 && nowMs - budgetSinceMs >= limits.putMediaBudgetPauseTimeoutMs()) {
      return new Overdue(Reason.MEMORY_BUDGET, nowMs - budgetSinceMs);
    }
    return null;
  }
}
