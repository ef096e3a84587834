package io.framekeep.storage.faults;

import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;

/**
 * The switch of a {@link HeldDurabilityFragmentLog}: while held, no fragment committed through that log
 * becomes durable (its future waits), as when storage falls behind (the cluster backend's flushes backlogged
 * behind a slow object store); once released, every held fragment becomes durable, in seal order. Like the
 * cluster backend's batch writer, a commit itself blocks while {@code maxWaiting} fragments already wait, which
 * is how slow storage slows down the sessions writing to it.
 *
 * <p>Thread safety: hold and release may be called from any thread while appenders commit.
 */
public final class DurabilityHold {

  private final int maxWaiting;
  /** Completed while not held; replaced by a new one by {@link #hold()}. */
  private CompletableFuture<Void> released = CompletableFuture.completedFuture(null);
  private int waiting;

  /** @param maxWaiting fragments that may wait for durability before a commit blocks until release */
  public DurabilityHold(int maxWaiting) {
    if (maxWaiting < 1) {
      throw new IllegalArgumentException("maxWaiting must be positive: " + maxWaiting);
    }
    this.maxWaiting = maxWaiting;
  }

  /** From now on, fragments committed wait for {@link #release()} to become durable. */
  public synchronized void hold() {
    if (released.isDone()) {
      released = new CompletableFuture<>();
    }
  }

  /** Every held fragment becomes durable (as its storage made it), and commits go on. */
  public void release() {
    CompletableFuture<Void> gate;
    synchronized (this) {
      gate = released;
      notifyAll();
    }
    gate.complete(null);
  }

  /** Fragments committed and waiting for durability now. */
  public synchronized int waiting() {
    return waiting;
  }

  /** Blocks while held and full, then counts one more waiting fragment; returns the gate it waits for. */
  synchronized CompletableFuture<Void> enter() throws InterruptedIOException {
    while (!released.isDone() && waiting >= maxWaiting) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while storage was held");
      }
    }
    waiting++;
    return released;
  }

  synchronized void left() {
    waiting--;
    notifyAll();
  }
}
