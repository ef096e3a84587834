package io.framekeep.server;

import io.framekeep.server.memory.MemoryBudget;
import io.framekeep.server.quota.FragmentQuotas;

/**
 * The named limits of the service. Defaults are AWS's documented values (spec §5) so that code
 * tested against Framekeep behaves the same against Kinesis Video Streams.
 *
 * @param maxClipFragments GetClip returns at most this many fragments (AWS: 200, hard)
 * @param maxClipBytes GetClip stops adding fragments before the clip passes this (AWS: 100 MB)
 * @param maxFragmentBytes a PutMedia fragment larger than this gets ack error 4001 (AWS: 50 MB)
 * @param maxFragmentDurationMs a longer fragment gets ack error 4002 (AWS: 20 s)
 * @param maxTracks more tracks than this get ack error 4012 (AWS: 3)
 * @param maxJsonBodyBytes a JSON request body larger than this is refused before it is buffered
 * @param putMediaIdleTimeoutMs a PutMedia upload silent this long is ended (AWS: 30 s); only time
 *     in which the server reads the body and owes the producer no PERSISTED ack counts as silence
 * @param putMediaIdleAckPeriodMs how often IDLE acks are sent while the upload is silent
 * @param fragmentQuotasEnabled whether the per-stream fragment quotas below are enforced
 * @param metadataPointsPerSecond fragment-metadata points per stream per second (AWS: 10,000)
 * @param mediaPointsPerSecond fragment-media points per stream per second (AWS: 500)
 * @param maxPutMediaConnectionMs a PutMedia connection older than this gets ack error 4003 at its
 *     next fragment (AWS: 45 minutes; producers reconnect before)
 * @param memoryBudgetBytes heap bytes all connections together may make the server hold (bodies
 *     waiting, headers and frame tables being parsed, unsent acks) before they stop being read
 *     ({@link MemoryBudget}; default a quarter of the largest heap). {@code fragmentQuotasEnabled} also
 *     switches AWS's per-stream PutMedia rates (5 fragments/s, 12.5 MB/s) on and off.
 * @param putMediaUnreadAcksTimeoutMs a PutMedia upload whose client has taken none of its acks for
 *     this long while they are past the session's bound (so its body is no longer read) is ended
 * @param putMediaBudgetPauseTimeoutMs a PutMedia upload held back this long by the spent memory
 *     budget (its parsing waiting for room) is ended
 * @param putMediaDurabilityWaitMs how long a PutMedia session that is ending (its body ended, or
 *     a timeout above) waits for its fragments handed to storage to become durable, to ack each
 *     PERSISTED or ERROR, before it gives up on those left with ERROR 5001
 */
public record ServiceLimits(
    int maxClipFragments,
    long maxClipBytes,
    long maxFragmentBytes,
    long maxFragmentDurationMs,
    int maxTracks,
    int maxJsonBodyBytes,
    long putMediaIdleTimeoutMs,
    long putMediaIdleAckPeriodMs,
    boolean fragmentQuotasEnabled,
    int metadataPointsPerSecond,
    int mediaPointsPerSecond,
    long maxPutMediaConnectionMs,
    long memoryBudgetBytes,
    long putMediaUnreadAcksTimeoutMs,
    long putMediaBudgetPauseTimeoutMs,
    long putMediaDurabilityWaitMs) {

  /** AWS: "the first 200 fragments". */
  public static final int AWS_MAX_CLIP_FRAGMENTS = 200;
  /** AWS: "100 MB size limit"; taken as 100 MiB, the larger reading, so no AWS-sized clip is cut. */
  public static final long AWS_MAX_CLIP_BYTES = 100L * 1024 * 1024;
  /** AWS PutMedia hard limit per fragment. */
  public static final long AWS_MAX_FRAGMENT_BYTES = 50L * 1024 * 1024;
  /** AWS quota page: fragments up to 20 s (the older PutMedia text said 10 s). */
  public static final long AWS_MAX_FRAGMENT_DURATION_MS = 20_000;
  /** AWS: at most 3 tracks per stream. */
  public static final int AWS_MAX_TRACKS = 3;
  /**
   * The largest JSON request any modelled operation can need is a few KB (GetMediaForFragmentList
   * with 1000 fragment numbers of 128 digits is about 135 KB); 1 MiB leaves room without letting a
   * client make the server buffer megabytes.
   */
  public static final int DEFAULT_MAX_JSON_BODY_BYTES = 1024 * 1024;
  /** AWS closes a PutMedia connection 30 s after the last data. */
  public static final long AWS_PUT_MEDIA_IDLE_TIMEOUT_MS = 30_000;
  /** AWS ends a PutMedia connection after 45 minutes (ack 4003). */
  public static final long AWS_MAX_PUT_MEDIA_CONNECTION_MS = 45L * 60 * 1000;
  /** Often enough that a producer sees the session alive well before its own timeouts. */
  public static final long DEFAULT_IDLE_ACK_PERIOD_MS = 3_000;
  /**
   * AWS's idle timeout again: a client that takes no ack for as long as a producer may stay silent
   * is not reading them, and what its session holds (up to 4 MiB of body, 64 KiB of acks) is freed.
   */
  public static final long DEFAULT_PUT_MEDIA_UNREAD_ACKS_TIMEOUT_MS = 30_000;
  /**
   * As long as the idle timeout: what a held-back upload holds is freed after the time a silent
   * producer would be given; ordinary uploads (under a session's 1 MiB floor) are never held back.
   */
  public static final long DEFAULT_PUT_MEDIA_BUDGET_PAUSE_TIMEOUT_MS = 30_000;
  /**
   * 5 minutes: storage that is slow, not broken, acknowledges within it (the overloaded cluster
   * benchmark's slowest PERSISTED took 95 s), and a stalled store does not hold a session for ever.
   */
  public static final long DEFAULT_PUT_MEDIA_DURABILITY_WAIT_MS = 300_000;

  public static ServiceLimits awsDefaults() {
    return new ServiceLimits(
        AWS_MAX_CLIP_FRAGMENTS,
        AWS_MAX_CLIP_BYTES,
        AWS_MAX_FRAGMENT_BYTES,
        AWS_MAX_FRAGMENT_DURATION_MS,
        AWS_MAX_TRACKS,
        DEFAULT_MAX_JSON_BODY_BYTES,
        AWS_PUT_MEDIA_IDLE_TIMEOUT_MS,
        DEFAULT_IDLE_ACK_PERIOD_MS,
        true,
        FragmentQuotas.AWS_METADATA_POINTS_PER_SECOND,
        FragmentQuotas.AWS_MEDIA_POINTS_PER_SECOND,
        AWS_MAX_PUT_MEDIA_CONNECTION_MS,
        MemoryBudget.defaultBytes(),
        DEFAULT_PUT_MEDIA_UNREAD_ACKS_TIMEOUT_MS,
        DEFAULT_PUT_MEDIA_BUDGET_PAUSE_TIMEOUT_MS,
        DEFAULT_PUT_MEDIA_DURABILITY_WAIT_MS);
  }

  public ServiceLimits withClipCaps(int fragments, long bytes) {
    return new ServiceLimits(fragments, bytes, maxFragmentBytes, maxFragmentDurationMs, maxTracks,
        maxJsonBodyBytes, putMediaIdleTimeoutMs, putMediaIdleAckPeriodMs, fragmentQuotasEnabled,
        metadataPointsPerSecond, mediaPointsPerSecond, maxPutMediaConnectionMs, memoryBudgetBytes,
        putMediaUnreadAcksTimeoutMs, putMediaBudgetPauseTimeoutMs, putMediaDurabilityWaitMs);
  }

  /** The fragment quotas at these rates ({@code enabled = false} switches them off). */
  public ServiceLimits withFragmentQuotas(boolean enabled, int metadataPerSecond,
      int mediaPerSecond) {
    return new ServiceLimits(maxClipFragments, maxClipBytes, maxFragmentBytes,
        maxFragmentDurationMs, maxTracks, maxJsonBodyBytes, putMediaIdleTimeoutMs,
        putMediaIdleAckPeriodMs, enabled, metadataPerSecond, mediaPerSecond,
        maxPutMediaConnectionMs, memoryBudgetBytes, putMediaUnreadAcksTimeoutMs,
        putMediaBudgetPauseTimeoutMs, putMediaDurabilityWaitMs);
  }

  /** The same limits with PutMedia's idle timing changed (tests use short periods). */
  public ServiceLimits withPutMediaIdle(long timeoutMs, long ackPeriodMs) {
    return new ServiceLimits(maxClipFragments, maxClipBytes, maxFragmentBytes,
        maxFragmentDurationMs, maxTracks, maxJsonBodyBytes, timeoutMs, ackPeriodMs,
        fragmentQuotasEnabled, metadataPointsPerSecond, mediaPointsPerSecond,
        maxPutMediaConnectionMs, memoryBudgetBytes, putMediaUnreadAcksTimeoutMs,
        putMediaBudgetPauseTimeoutMs, putMediaDurabilityWaitMs);
  }

  /**
   * The same limits with PutMedia's other bounds changed (tests use seconds): unread acks, a pause
   * for the memory budget, and the wait for durability of an ending session.
   */
  public ServiceLimits withPutMediaBounds(long unreadAcksTimeoutMs, long budgetPauseTimeoutMs,
      long durabilityWaitMs) {
    return new ServiceLimits(maxClipFragments, maxClipBytes, maxFragmentBytes,
        maxFragmentDurationMs, maxTracks, maxJsonBodyBytes, putMediaIdleTimeoutMs,
        putMediaIdleAckPeriodMs, fragmentQuotasEnabled, metadataPointsPerSecond,
        mediaPointsPerSecond, maxPutMediaConnectionMs, memoryBudgetBytes, unreadAcksTimeoutMs,
        budgetPauseTimeoutMs, durabilityWaitMs);
  }

  /** The same limits with another longest PutMedia connection (tests use seconds). */
  public ServiceLimits withMaxPutMediaConnectionMs(long connectionMs) {
    return new ServiceLimits(maxClipFragments, maxClipBytes, maxFragmentBytes,
        maxFragmentDurationMs, maxTracks, maxJsonBodyBytes, putMediaIdleTimeoutMs,
        putMediaIdleAckPeriodMs, fragmentQuotasEnabled, metadataPointsPerSecond,
        mediaPointsPerSecond, connectionMs, memoryBudgetBytes, putMediaUnreadAcksTimeoutMs,
        putMediaBudgetPauseTimeoutMs, putMediaDurabilityWaitMs);
  }

  /** The same limits with another memory budget for the whole server. */
  public ServiceLimits withMemoryBudgetBytes(long bytes) {
    return new ServiceLimits(maxClipFragments, maxClipBytes, maxFragmentBytes,
        maxFragmentDurationMs, maxTracks, maxJsonBodyBytes, putMediaIdleTimeoutMs,
        putMediaIdleAckPeriodMs, fragmentQuotasEnabled, metadataPointsPerSecond,
        mediaPointsPerSecond, maxPutMediaConnectionMs, bytes, putMediaUnreadAcksTimeoutMs,
        putMediaBudgetPauseTimeoutMs, putMediaDurabilityWaitMs);
  }
}
