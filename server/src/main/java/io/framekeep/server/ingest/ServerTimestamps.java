package io.framekeep.server.ingest;

/**
 * Server timestamps for the fragments of one PutMedia session: the arrival time of a fragment's
 * first byte, but always at least 1 ms after the stream's previous fragment.
 *
 * <p>Why: an upload faster than real time (a file, a producer catching up after a network stall)
 * delivers many fragments within one millisecond, and a server-timestamp selection cannot tell
 * tied fragments apart, so GetClip, ListFragments and GetMedia by SERVER_TIMESTAMP could only
 * take or leave them all together. AWS's server timestamps are distinct and increasing per stream
 * in practice. The cost is a drift ahead of the wall clock of at most 1 ms per fragment of a
 * burst, which the next slower arrivals absorb.
 *
 * <p>Not thread-safe: used on the session's serial executor only. A stream has at most one
 * PutMedia session at a time, so per-session state is per-stream state.
 */
final class ServerTimestamps {
  /** Smallest step between the server timestamps of consecutive fragments: the wire's precision. */
  static final long MIN_STEP_MS = 1;

  private long lastMs;

  /** @param previousMs the stream's newest stored server timestamp, or Long.MIN_VALUE if none */
  ServerTimestamps(long previousMs) {
    this.lastMs = previousMs;
  }

  /** The server timestamp of a fragment whose first byte arrived at {@code arrivalMs}. */
  long next(long arrivalMs) {
    long ms = lastMs == Long.MIN_VALUE ? arrivalMs : Math.max(arrivalMs, lastMs + MIN_STEP_MS);
    lastMs = ms;
    return ms;
  }
}
