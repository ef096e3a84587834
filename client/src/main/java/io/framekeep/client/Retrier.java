package io.framekeep.client;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Retries an idempotent call after throttling, 5xx answers and transport failures, with capped
 * exponential backoff and full jitter (the AWS SDKs' "standard" mode). Never used around the body
 * of a PutMedia upload: a repeated upload would store its fragments twice.
 *
 * <p>Thread-safe; the sleeper is injected so tests run without waiting.
 */
final class Retrier {
  /** Sleeps between attempts; replaced in tests. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /**
   * Attempts in all, first included. AWS's standard mode allows 3; 5 (pauses up to 0.1+0.2+0.4+0.8
   * s) lets a long-clip download ride out GetClip's fragment-media quota (500 points/s, a full
   * piece costs 200) instead of failing on the third piece.
   */
  static final int DEFAULT_MAX_ATTEMPTS = 5;
  /** First backoff ceiling; doubles per attempt (AWS standard mode uses 100 ms). */
  static final Duration BASE_DELAY = Duration.ofMillis(100);
  /** Longest single pause (AWS standard mode caps at 20 s). */
  static final Duration MAX_DELAY = Duration.ofSeconds(20);

  private final int maxAttempts;
  private final Sleeper sleeper;

  Retrier(int maxAttempts, Sleeper sleeper) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
    this.sleeper = sleeper;
  }

  static Retrier standard() {
    return new Retrier(DEFAULT_MAX_ATTEMPTS, d -> Thread.sleep(d.toMillis()));
  }

  int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Runs {@code call} until it succeeds, fails with an error that is not retryable, or has been
   * tried {@link #maxAttempts} times; then rethrows the last failure. {@code onRetry} runs before
   * each pause (the endpoint cache uses it to forget an endpoint that failed).
   */
  <T> T call(Supplier<T> call, Runnable onRetry) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (KvsException | UncheckedIOException e) {
        boolean retryable = !(e instanceof KvsException k) || k.isRetryable();
        if (!retryable || attempt >= maxAttempts) {
          throw e;
        }
        onRetry.run();
        pause(attempt);
      }
    }
  }

  /** Full jitter: a uniformly random pause in [0, min(MAX, BASE * 2^(attempt-1))]. */
  void pause(int attempt) {
    long ceilingMs = Math.min(MAX_DELAY.toMillis(), BASE_DELAY.toMillis() << Math.min(attempt - 1, 20));
    try {
      sleeper.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceilingMs + 1)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted while backing off"));
    }
  }
}
