package io.framekeep.server.ingest;

/**
 * AWS's per-stream PutMedia rates (spec §5.1): at most {@link #AWS_FRAGMENTS_PER_SECOND}
 * fragments and {@link #AWS_BYTES_PER_SECOND} bytes per second. A producer that goes faster is
 * slowed down, not refused: the session stops taking its bytes until the rates allow them, and TCP
 * carries that back to the producer. (AWS documents no ack ErrorId for these rates; a producer SDK
 * streaming faster than real time, e.g. uploading a file, sees its upload slow down as it would
 * against AWS's bandwidth cap.)
 *
 * <p>Both rates are token buckets that may go into debt by what one fed piece holds (the session
 * checks between pieces), so over any second the rates hold to within one piece. Time is the
 * caller's (an injected clock). Not thread-safe: used by one session's executor.
 */
final class IngestPacer {
  /** AWS hard limit: 5 fragments per second per stream. */
  static final double AWS_FRAGMENTS_PER_SECOND = 5;
  /** AWS soft limit: 12.5 MB/s (100 Mbps) per stream. */
  static final double AWS_BYTES_PER_SECOND = 12_500_000;
  /** One second's worth may arrive at once: a producer catching up after a stall is not slowed. */
  static final double BURST_SECONDS = 1;

  private final double fragmentsPerMs;
  private final double bytesPerMs;
  private final double fragmentBurst;
  private final double byteBurst;
  private double fragmentTokens;
  private double byteTokens;
  private long lastMs;

  IngestPacer(double fragmentsPerSecond, double bytesPerSecond, long nowMs) {
    this.fragmentsPerMs = fragmentsPerSecond / 1000;
    this.bytesPerMs = bytesPerSecond / 1000;
    this.fragmentBurst = fragmentsPerSecond * BURST_SECONDS;
    this.byteBurst = bytesPerSecond * BURST_SECONDS;
    this.fragmentTokens = fragmentBurst;
    this.byteTokens = byteBurst;
    this.lastMs = nowMs;
  }

  /** AWS's rates. */
  static IngestPacer aws(long nowMs) {
    return new IngestPacer(AWS_FRAGMENTS_PER_SECOND, AWS_BYTES_PER_SECOND, nowMs);
  }

  /** Counts what was just taken in. */
  void spend(int fragments, long bytes, long nowMs) {
    refill(nowMs);
    fragmentTokens -= fragments;
    byteTokens -= bytes;
  }

  /** Milliseconds to wait before taking in more (0: now). */
  long waitMs(long nowMs) {
    refill(nowMs);
    double ms = 0;
    if (fragmentTokens < 0) {
      ms = Math.max(ms, -fragmentTokens / fragmentsPerMs);
    }
    if (byteTokens < 0) {
      ms = Math.max(ms, -byteTokens / bytesPerMs);
    }
    return (long) Math.ceil(ms);
  }

  private void refill(long nowMs) {
    if (nowMs > lastMs) {
      long elapsed = nowMs - lastMs;
      fragmentTokens = Math.min(fragmentBurst, fragmentTokens + elapsed * fragmentsPerMs);
      byteTokens = Math.min(byteBurst, byteTokens + elapsed * bytesPerMs);
      lastMs = nowMs;
    }
  }
}
