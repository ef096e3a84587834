package io.framekeep.server.retention;

import io.framekeep.storage.StreamRecord;
import java.time.Clock;

/**
 * Which archived fragments of a stream are still within its data retention (spec §1.5): those whose
 * server timestamp is at or after {@code now - DataRetentionInHours}, by server time. With retention
 * 0 nothing is archived, so nothing is visible to these paths; GetMedia alone reads the live buffer
 * such a stream keeps ({@link #LIVE_BUFFER_MS}).
 *
 * <p>Read paths (ListFragments, GetClip) apply this bound themselves, so an expired fragment
 * disappears the moment it expires and the moment UpdateDataRetention shortens the period, before
 * {@link RetentionService} reclaims its bytes. Stateless and thread-safe.
 */
public final class RetentionWindow {
  /** Milliseconds in one hour, the unit of DataRetentionInHours. */
  static final long MS_PER_HOUR = 3_600_000L;
  /**
   * AWS keeps the last 5 minutes of a stream without retention in a live buffer that only GetMedia
   * reads (spec §5.4); such fragments are stored and swept after this long.
   */
  public static final long LIVE_BUFFER_MS = 5 * 60 * 1000L;

  private RetentionWindow() {}

  /**
   * The smallest server timestamp (epoch ms) a fragment of {@code stream} may have to be served now;
   * {@link Long#MAX_VALUE} when the stream keeps nothing.
   */
  public static long earliestServerMs(StreamRecord stream, Clock clock) {
    return cutoffMs(stream.dataRetentionHours(), clock.millis());
  }

  /**
   * The server timestamp before which the sweeper deletes a stream's fragments: the retention
   * cutoff, or for a stream without retention the start of its live buffer.
   */
  static long sweepCutoffMs(long retentionHours, long nowMs) {
    return retentionHours <= 0 ? nowMs - LIVE_BUFFER_MS : cutoffMs(retentionHours, nowMs);
  }

  /** The cutoff for a retention period at {@code nowMs}; saturates instead of overflowing. */
  static long cutoffMs(long retentionHours, long nowMs) {
    if (retentionHours <= 0) {
      return Long.MAX_VALUE;
    }
    long periodMs = retentionHours > Long.MAX_VALUE / MS_PER_HOUR
        ? Long.MAX_VALUE : retentionHours * MS_PER_HOUR;
    return nowMs < Long.MIN_VALUE + periodMs ? Long.MIN_VALUE : nowMs - periodMs;
  }
}
