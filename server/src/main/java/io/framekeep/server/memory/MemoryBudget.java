package io.framekeep.server.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One budget of heap bytes for everything clients make the server hold: request bodies waiting to
 * be parsed, PutMedia headers and frame tables being assembled, acks not yet taken by the client.
 * Whoever holds such bytes {@linkplain #charge charges} them and {@linkplain #release releases}
 * them when they are gone. A charge never fails (the bytes exist already or are about to, in
 * bounded steps); what the budget decides is whether a connection may go on: while it is
 * {@linkplain #exhausted() spent}, connections above their own small floor stop reading, so the
 * producers are held back by TCP, never by the heap. {@link #whenAvailable()} tells them when to
 * resume.
 *
 * <p>Bound: memory held is at most the budget plus, per connection, the floor it may always hold
 * and one read (a connection checks before each read, not inside one).
 *
 * <p>Thread-safe; charges and releases are lock-free, waiters are woken outside any lock.
 */
public final class MemoryBudget {
  /**
   * A quarter of the heap. What is charged lives partly on the heap (headers, frame tables, acks)
   * and partly outside it (bodies waiting in Netty's direct buffers), so the process can hold the
   * heap plus the budget; a quarter leaves the heap room for what is not charged (SQLite, the
   * playback paths, garbage not yet collected) and keeps the direct memory small beside it. With
   * half the heap, 200 hostile uploads took a -Xmx512m server to 1.1 GB RSS.
   */
  public static final double DEFAULT_HEAP_FRACTION = 0.25;

  /**
   * Waiters are woken once usage is below 7/8 of the limit, not at the first byte released: with
   * usage hovering at the limit, every release would otherwise wake every paused connection to
   * read a little and pause again, busying the event loops for nothing.
   */
  static final double RESUME_FRACTION = 0.875;

  private final long limitBytes;
  private final long resumeBelowBytes;
  private final AtomicLong usedBytes = new AtomicLong();
  private final List<CompletableFuture<Void>> waiters = new ArrayList<>();

  /** A budget of {@code limitBytes} (at least 1). */
  public MemoryBudget(long limitBytes) {
    if (limitBytes <= 0) {
      throw new IllegalArgumentException("memory budget must be positive: " + limitBytes);
    }
    this.limitBytes = limitBytes;
    this.resumeBelowBytes = Math.max(1, (long) (limitBytes * RESUME_FRACTION));
  }

  /** {@link #DEFAULT_HEAP_FRACTION} of the largest heap this JVM may use. */
  public static long defaultBytes() {
    return (long) (Runtime.getRuntime().maxMemory() * DEFAULT_HEAP_FRACTION);
  }

  public long limitBytes() {
    return limitBytes;
  }

  public long usedBytes() {
    return usedBytes.get();
  }

  /** Counts {@code bytes} as held; returns whether the budget still has room after it. */
  public boolean charge(long bytes) {
    return usedBytes.addAndGet(bytes) <= limitBytes;
  }

  /** Counts {@code bytes} as no longer held; wakes the waiters once there is room again. */
  public void release(long bytes) {
    if (usedBytes.addAndGet(-bytes) < resumeBelowBytes) {
      wakeWaiters();
    }
  }

  /** Whether everything is charged: connections above their floor must not read now. */
  public boolean exhausted() {
    return usedBytes.get() >= limitBytes;
  }

  /**
   * Completes once usage is back below {@link #RESUME_FRACTION} of the limit (at once if it is
   * now).
   */
  public CompletableFuture<Void> whenAvailable() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (waiters) {
      waiters.add(f);
    }
    // Re-checked after registering, so a release between the check and the add is not missed.
    if (usedBytes.get() < resumeBelowBytes) {
      wakeWaiters();
    }
    return f;
  }

  private void wakeWaiters() {
    List<CompletableFuture<Void>> woken;
    synchronized (waiters) {
      if (waiters.isEmpty()) {
        return;
      }
      woken = new ArrayList<>(waiters);
      waiters.clear();
    }
    woken.forEach(w -> w.complete(null));
  }
}
