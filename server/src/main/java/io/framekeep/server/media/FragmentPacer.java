package io.framekeep.server.media;

import java.util.function.LongSupplier;

/**
 * AWS's pace of a GetMedia connection: at most {@link #AWS_FRAGMENTS_PER_SECOND} fragments sent
 * per second (hard limit, spec §5.1), so a reader that starts far back catches up at five times
 * real time with one-second fragments. A token bucket holding {@link #BURST_SECONDS} seconds of
 * fragments lets a reader that starts near the live edge get its first fragments at once.
 * Confined to one connection's event loop; not thread-safe.
 */
final class FragmentPacer {
  static final int AWS_FRAGMENTS_PER_SECOND = 5;
  /** As the request rates and fragment quotas: two seconds' worth. */
  static final int BURST_SECONDS = 2;

  private final boolean unlimited;
  private final double perMs;
  private final double capacity;
  private final LongSupplier clockMs;
  private double tokens;
  private long lastMs;

  FragmentPacer(int perSecond, LongSupplier clockMs) {
    this(false, perSecond, clockMs);
  }

  private FragmentPacer(boolean unlimited, int perSecond, LongSupplier clockMs) {
    this.unlimited = unlimited;
    this.perMs = perSecond / 1000.0;
    this.capacity = (double) perSecond * BURST_SECONDS;
    this.clockMs = clockMs;
    this.tokens = capacity;
    this.lastMs = clockMs.getAsLong();
  }

  /** A pacer that never delays (the server runs without quotas). */
  static FragmentPacer unlimited() {
    return new FragmentPacer(true, 1, () -> 0L);
  }

  /**
   * Reserves the sending of one fragment and returns how many milliseconds to wait before sending
   * it (0: now). Reservations queue: a second call before the wait is over waits longer.
   */
  long reserve() {
    if (unlimited) {
      return 0;
    }
    long now = clockMs.getAsLong();
    if (now > lastMs) {
      tokens = Math.min(capacity, tokens + (now - lastMs) * perMs);
      lastMs = now;
    }
    tokens -= 1;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perMs);
  }
}
