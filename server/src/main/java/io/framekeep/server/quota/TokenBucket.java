package io.framekeep.server.quota;

/**
 * A token bucket that refills continuously at {@code ratePerSecond} up to {@code capacity}
 * points. Time comes from the caller (milliseconds of an injected clock), so tests control it.
 * Thread-safe.
 */
final class TokenBucket {
  private final double ratePerMs;
  private final double capacity;
  private double tokens;
  private long lastRefillMs;

  TokenBucket(double ratePerSecond, double capacity, long nowMs) {
    this.ratePerMs = ratePerSecond / 1000.0;
    this.capacity = capacity;
    this.tokens = capacity;
    this.lastRefillMs = nowMs;
  }

  /** Points available now, after refilling. */
  synchronized double available(long nowMs) {
    refill(nowMs);
    return tokens;
  }

  /** Takes {@code points} if that many are available; otherwise takes nothing. */
  synchronized boolean tryTake(double points, long nowMs) {
    refill(nowMs);
    if (points > tokens) {
      return false;
    }
    tokens -= points;
    return true;
  }

  synchronized void give(double points) {
    tokens = Math.min(capacity, tokens + points);
  }

  private void refill(long nowMs) {
    if (nowMs > lastRefillMs) {
      tokens = Math.min(capacity, tokens + (nowMs - lastRefillMs) * ratePerMs);
      lastRefillMs = nowMs;
    }
  }
}
