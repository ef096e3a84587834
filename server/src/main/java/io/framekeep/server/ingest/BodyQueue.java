package io.framekeep.server.ingest;

import io.framekeep.server.memory.MemoryBudget;
import io.netty.channel.ChannelHandlerContext;

/**
 * The body of one PutMedia upload received and not yet parsed, and whether its connection reads
 * more: at most {@link #MAX_QUEUED_BYTES} wait (past that the connection stops reading, so TCP
 * back-pressure reaches the producer, until the queue drains below {@link #RESUME_BELOW_BYTES}),
 * and while the server's {@link MemoryBudget} is spent the connection reads only while nothing of
 * it is queued. Queued bytes are charged to the budget.
 *
 * <p>Confined to the connection's event loop.
 */
final class BodyQueue {
  /** Enough to absorb bursts of a 100 Mbps producer for a third of a second without stalling it. */
  static final long MAX_QUEUED_BYTES = 4L * 1024 * 1024;
  static final long RESUME_BELOW_BYTES = 1024 * 1024;

  private final ChannelHandlerContext ctx;
  private final MemoryBudget budget;
  /**
   * Runs when the connection reads again or all received is parsed: a wait that was the server's
   * ends, and the producer's silence counts from here.
   */
  private final Runnable caughtUp;
  private long queuedBytes;
  private boolean awaitingBudget;

  BodyQueue(ChannelHandlerContext ctx, MemoryBudget budget, Runnable caughtUp) {
    this.ctx = ctx;
    this.budget = budget;
    this.caughtUp = caughtUp;
  }

  /** {@code size} bytes arrived to be parsed. */
  void queued(int size) {
    queuedBytes += size;
    budget.charge(size);
    updateReading();
  }

  /** {@code size} bytes are parsed (or dropped). */
  void dequeued(int size) {
    queuedBytes -= size;
    budget.release(size);
    if (queuedBytes == 0) {
      caughtUp.run();
    }
    if (!reading() && (queuedBytes < RESUME_BELOW_BYTES || queuedBytes == 0)) {
      updateReading();
    }
  }

  /** Whether everything received is parsed. */
  boolean empty() {
    return queuedBytes == 0;
  }

  /** Whether the connection reads (it may be paused by this queue, or by the HTTP layer). */
  boolean reading() {
    return ctx.channel().config().isAutoRead();
  }

  /** Reads while the queue is short and, when the budget is spent, only while it is empty. */
  private void updateReading() {
    boolean spent = budget.exhausted();
    boolean read = queuedBytes <= MAX_QUEUED_BYTES && !(spent && queuedBytes > 0);
    if (!read && queuedBytes <= RESUME_BELOW_BYTES && !spent) {
      read = true;
    }
    if (reading() != read) {
      ctx.channel().config().setAutoRead(read);
      if (read) {
        caughtUp.run();
      }
    }
    if (!read && spent && !awaitingBudget) {
      awaitingBudget = true;
      budget.whenAvailable().thenRun(() -> ctx.executor().execute(() -> {
        awaitingBudget = false;
        updateReading();
      }));
    }
  }
}
