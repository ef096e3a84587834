package io.framekeep.server.quota;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One of AWS's "transactions per second" quotas (spec §5.1, §5.2): at most {@code perSecond}
 * requests per key (a stream, a playback session) on average, with a burst of
 * {@link FragmentQuotas#BURST_SECONDS} seconds' worth, as the fragment quotas allow (or another
 * burst). The request
 * beyond it is refused with ClientLimitExceededException and takes nothing. A disabled rate
 * accepts everything. Thread-safe.
 */
public final class RequestRate {
  /**
   * Keys remembered at most; past this, keys whose bucket has refilled (equivalent to a key never
   * seen) are forgotten, so memory stays bounded however many sessions or streams come and go.
   */
  static final int MAX_TRACKED_KEYS = 50_000;

  private final boolean enabled;
  private final int perSecond;
  private final double capacity;
  private final String what;
  private final Clock clock;
  private final ConcurrentHashMap<Object, TokenBucket> buckets = new ConcurrentHashMap<>();

  /**
   * @param perSecond the sustained rate, at least 1
   * @param what the counted requests and their key, for the error message, e.g.
   *     {@code "GetMedia requests per stream"}
   */
  public RequestRate(boolean enabled, int perSecond, String what, Clock clock) {
    this(enabled, perSecond, FragmentQuotas.BURST_SECONDS, what, clock);
  }

  /**
   * A rate whose burst is {@code burstSeconds} seconds' worth of requests: with 1, a rested key
   * takes exactly {@code perSecond} requests at once and refuses the next (AWS's PutMedia limit).
   */
  public RequestRate(boolean enabled, int perSecond, int burstSeconds, String what, Clock clock) {
    if (perSecond < 1 || burstSeconds < 1) {
      throw new IllegalArgumentException(
          "perSecond and burstSeconds must be at least 1: " + perSecond + ", " + burstSeconds);
    }
    this.enabled = enabled;
    this.perSecond = perSecond;
    this.capacity = (double) perSecond * burstSeconds;
    this.what = what;
    this.clock = clock;
  }

  /**
   * Counts one request for {@code key}, or refuses it.
   *
   * @param key compared with {@code equals}; a record of the identifying values
   * @throws ApiException ClientLimitExceededException when the key is over its rate
   */
  public void acquire(Object key) {
    if (!enabled) {
      return;
    }
    long nowMs = clock.millis();
    if (buckets.size() > MAX_TRACKED_KEYS) {
      forgetRested(nowMs);
    }
    TokenBucket bucket =
        buckets.computeIfAbsent(key, k -> new TokenBucket(perSecond, capacity, nowMs));
    if (!bucket.tryTake(1, nowMs)) {
      throw ApiException.of(AwsError.CLIENT_LIMIT_EXCEEDED, "More than " + perSecond + " "
          + what + " per second. Retry later.");
    }
  }

  /** Keys tracked now (for tests). */
  int trackedKeys() {
    return buckets.size();
  }

  private void forgetRested(long nowMs) {
    buckets.values().removeIf(b -> b.available(nowMs) >= capacity);
  }
}
