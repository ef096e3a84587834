package io.framekeep.server.ingest;

import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import java.time.Clock;

/**
 * Server timestamps for the fragments of one PutMedia session: the arrival time of a fragment's
 * first byte, but always at least 1 ms after the stream's previous fragment.
 *
 * <p>Why: an upload faster than real time (a file, a producer catching up after a network stall)
 * delivers many fragments within one millisecond, and a server-timestamp selection cannot tell
 * tied fragments apart, so GetClip, ListFragments and GetMedia by SERVER_TIMESTAMP could only
 * take or leave them all together. AWS's server timestamps are distinct and increasing per stream
 * in practice. A burst so runs ahead of the server clock by up to 1 ms per fragment; so that no
 * fragment is ever visible with a server timestamp in the future (a SERVER_TIMESTAMP range ending
 * at "now" must hold every fragment stored so far, and AWS refuses ends after now), the session
 * waits {@link #waitMs} before committing it. That paces an unpaced upload to at most 1,000
 * fragments a second, a thousand times real time for the shortest fragments producers send.
 *
 * <p>Not thread-safe: used on the session's serial executor only. A stream has at most one
 * PutMedia session at a time, so per-session state is per-stream state.
 */
final class ServerTimestamps {
  /** Smallest step between the server timestamps of consecutive fragments: the wire's precision. */
  static final long MIN_STEP_MS = 1;

  /**
   * Longest wait for the clock before a commit. The previous fragment was held until the clock
   * reached its timestamp and this one is at most {@link #MIN_STEP_MS} later, so a wait is never
   * longer unless the clock went back (an NTP step, a restart on a slower clock) or stands still
   * (tests); waiting for it then would stall the upload for nothing.
   */
  static final long MAX_WAIT_MS = MIN_STEP_MS;

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

  /**
   * How long to wait before committing a fragment with server timestamp {@code serverMs}: until
   * the clock reaches it, at most {@link #MAX_WAIT_MS}.
   */
  static long waitMs(long serverMs, long nowMs) {
    return Math.max(0, Math.min(serverMs - nowMs, MAX_WAIT_MS));
  }

  /**
   * Timestamps following the stream's newest stored fragment (the one before {@code nextSequence};
   * server timestamps grow with sequence), or from scratch when it has none.
   */
  static ServerTimestamps following(FragmentLog log, long streamId, long nextSequence) {
    long previous = nextSequence - 1;
    long previousMs = previous < 1 ? Long.MIN_VALUE : log.bySequence(streamId, previous)
        .map(FragmentRecord::serverTimestampMs).orElse(Long.MIN_VALUE);
    return new ServerTimestamps(previousMs);
  }

  /** Holds a fragment back until {@code clock} has reached its server timestamp. */
  static void awaitClock(long serverMs, Clock clock) {
    long waitMs = waitMs(serverMs, clock.millis());
    if (waitMs > 0) {
      try {
        Thread.sleep(waitMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // shutting down: commit now rather than lose it
      }
    }
  }
}
