package io.framekeep.server.quota;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AWS's fragment-based throttling of the archived-media APIs (spec §5.3): each stream has a
 * fragment-metadata bucket and a fragment-media bucket, shared by every API that reads the stream.
 * A request that needs more points than are left is refused with ClientLimitExceededException
 * and takes nothing. Each bucket holds {@link #BURST_SECONDS} seconds of its rate, so that a
 * single request of AWS's largest size (GetMediaForFragmentList of 1000 fragments against the
 * 500-point media budget) can succeed on a rested stream. Thread-safe.
 */
public final class FragmentQuotas {
  /** AWS: 10,000 fragment-metadata points per second per stream (hard limit). */
  public static final int AWS_METADATA_POINTS_PER_SECOND = 10_000;
  /** AWS: 500 fragment-media points per second per stream (hard limit). */
  public static final int AWS_MEDIA_POINTS_PER_SECOND = 500;
  /** Burst allowance in seconds of rate: 2 s lets the 1000-fragment maximum through. */
  public static final int BURST_SECONDS = 2;

  private final boolean enabled;
  private final int metadataPerSecond;
  private final int mediaPerSecond;
  private final Clock clock;
  private final ConcurrentHashMap<Long, TokenBucket[]> buckets = new ConcurrentHashMap<>();

  public FragmentQuotas(boolean enabled, int metadataPerSecond, int mediaPerSecond, Clock clock) {
    this.enabled = enabled;
    this.metadataPerSecond = metadataPerSecond;
    this.mediaPerSecond = mediaPerSecond;
    this.clock = clock;
  }

  public static FragmentQuotas unlimited(Clock clock) {
    return new FragmentQuotas(false, 0, 0, clock);
  }

  /**
   * Charges a request against a stream's two buckets, all or nothing.
   *
   * @throws ApiException ClientLimitExceededException when either bucket lacks the points
   */
  public void charge(long streamId, int metadataPoints, int mediaPoints) {
    if (!enabled) {
      return;
    }
    long now = clock.millis();
    TokenBucket[] pair = buckets.computeIfAbsent(streamId, id -> new TokenBucket[] {
        new TokenBucket(metadataPerSecond, (double) metadataPerSecond * BURST_SECONDS, now),
        new TokenBucket(mediaPerSecond, (double) mediaPerSecond * BURST_SECONDS, now)});
    synchronized (pair) {
      if (!pair[0].tryTake(metadataPoints, now)) {
        throw limitExceeded("fragment-metadata", metadataPoints, metadataPerSecond);
      }
      if (!pair[1].tryTake(mediaPoints, now)) {
        pair[0].give(metadataPoints);
        throw limitExceeded("fragment-media", mediaPoints, mediaPerSecond);
      }
    }
  }

  private static ApiException limitExceeded(String quota, int points, int perSecond) {
    return ApiException.of(AwsError.CLIENT_LIMIT_EXCEEDED, "The request needs " + points
        + " " + quota + " points; the stream's quota is " + perSecond
        + " points per second. Retry later.");
  }
}
