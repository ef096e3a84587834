package io.framekeep.server.playback;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AWS's limit on opening playback sessions (spec §5.1): GetHLSStreamingSessionURL and
 * GetDASHStreamingSessionURL each at most {@link #AWS_SESSION_URLS_PER_SECOND} per stream per
 * second, counted in whole-second windows; the next request in the same second gets
 * ClientLimitExceededException. Off when the server runs without quotas. Thread-safe.
 */
final class SessionUrlRate {
  /** AWS: 25 transactions per second per stream (hard limit), for each of the two operations. */
  static final int AWS_SESSION_URLS_PER_SECOND = 25;
  /** Streams whose current window is remembered; past this the table starts over (a few MB). */
  private static final int MAX_TRACKED_STREAMS = 100_000;

  private final boolean enabled;
  private final int perSecond;
  private final Clock clock;
  private final ConcurrentHashMap<Key, long[]> windows = new ConcurrentHashMap<>();

  private record Key(long streamId, PlaybackSession.Protocol protocol) {}

  SessionUrlRate(boolean enabled, int perSecond, Clock clock) {
    this.enabled = enabled;
    this.perSecond = perSecond;
    this.clock = clock;
  }

  /** Counts one session request of a protocol for the stream, or refuses it. */
  void acquire(long streamId, PlaybackSession.Protocol protocol) {
    if (!enabled) {
      return;
    }
    if (windows.size() > MAX_TRACKED_STREAMS) {
      windows.clear();
    }
    long second = clock.millis() / 1000;
    long[] window = windows.computeIfAbsent(new Key(streamId, protocol),
        key -> new long[] {second, 0});
    synchronized (window) {
      if (window[0] != second) {
        window[0] = second;
        window[1] = 0;
      }
      if (window[1] >= perSecond) {
        throw ApiException.of(AwsError.CLIENT_LIMIT_EXCEEDED, "More than " + perSecond
            + " streaming session requests per second for this stream. Retry later.");
      }
      window[1]++;
    }
  }
}
