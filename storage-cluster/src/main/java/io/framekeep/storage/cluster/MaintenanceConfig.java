package io.framekeep.storage.cluster;

/**
 * Settings of a node's background object maintenance: the {@link Compactor} and the {@link ObjectCollector},
 * from the {@code serve} flags below (and their {@code FRAMEKEEP_*} variables, through {@link ClusterConfig}).
 *
 * <pre>
 * --compact-interval-ms N    a maintenance pass this often; 0 = none on this node (default 60000)
 * --compact-min-age-ms N     shared objects are compacted once this old (default 900000)
 * --compact-target-bytes N   size of the per-stream objects compaction writes (default 64 MiB)
 * --collect-grace-ms N       an unreferenced object is deleted this long after (default 900000)
 * --orphan-settle-ms N       an object never committed is deleted this long after its PUT began (default 3600000)
 * </pre>
 *
 * @param intervalMs pause between passes; 0 switches maintenance off on this node (other nodes still do it)
 * @param minAgeMs a shared object is compacted no sooner than this after it was written: waiting gathers more of
 *     each stream's fragments into one object and leaves recent data, which live readers are reading, alone
 * @param targetBytes a compacted object is cut before it would pass this size (one larger fragment alone may)
 * @param graceMs how long an object nothing points into any more stays in the bucket, because a reader that
 *     looked up a fragment's old location before the index moved may still be reading it
 * @param orphanSettleMs how long an object recorded as about to be written may stay uncommitted before it is
 *     taken for the leftover of a failed commit and deleted
 */
public record MaintenanceConfig(long intervalMs, long minAgeMs, long targetBytes, long graceMs,
    long orphanSettleMs) {

  /** 1 minute: compaction keeps up with ingest in passes that each take seconds; collection needs no haste. */
  public static final long DEFAULT_INTERVAL_MS = 60_000;

  /**
   * 15 minutes: at 4 Mbit/s a stream writes about 450 MB in that time, several full target-size objects, and
   * live readers (HLS/DASH live, GetMedia NOW) have long moved past it. Streams with less than a target size
   * wait up to {@link Compactor#TAIL_AGE_FACTOR} times as long so that they too make sizeable objects.
   */
  public static final long DEFAULT_MIN_AGE_MS = 15 * 60_000;

  /**
   * 64 MiB: large enough that a day of a 4 Mbit/s stream is under 700 objects and a GetClip of one stream reads
   * one object, small enough to rewrite cheaply when retention leaves half of it dead.
   */
  public static final long DEFAULT_TARGET_BYTES = 64L << 20;

  /**
   * 15 minutes: a reader resolves a fragment's object and offset from the index and then reads; the longest such
   * window is a response of up to 100 MB (GetClip, GetMedia pages, HLS/DASH fragments) sent to a slow client,
   * which at 1 Mbit/s takes about 13 minutes. Every later request looks the location up again and finds the new
   * object.
   */
  public static final long DEFAULT_GRACE_MS = 15 * 60_000;

  /**
   * 1 hour: far above the longest a flush spends between recording its object and committing it (a PUT of at
   * most 50 MiB with the S3 client's retries, then one transaction). A commit slower still is refused, not lost:
   * the ledger lets either the commit or the collector have the object, never both ({@link ObjectLedger}).
   */
  public static final long DEFAULT_ORPHAN_SETTLE_MS = 60 * 60_000;

  /** 1 MiB: below this compaction would make objects no larger than the flushes it replaces. */
  static final long MIN_TARGET_BYTES = 1L << 20;

  /** 5 GiB, S3's largest single PUT. */
  static final long MAX_TARGET_BYTES = 5L << 30;

  public static final MaintenanceConfig DEFAULTS = new MaintenanceConfig(DEFAULT_INTERVAL_MS, DEFAULT_MIN_AGE_MS,
      DEFAULT_TARGET_BYTES, DEFAULT_GRACE_MS, DEFAULT_ORPHAN_SETTLE_MS);

  public MaintenanceConfig {
    require(intervalMs >= 0, "--compact-interval-ms must not be negative: " + intervalMs);
    require(minAgeMs >= 0, "--compact-min-age-ms must not be negative: " + minAgeMs);
    require(targetBytes >= MIN_TARGET_BYTES && targetBytes <= MAX_TARGET_BYTES,
        "--compact-target-bytes must be in " + MIN_TARGET_BYTES + ".." + MAX_TARGET_BYTES + ": " + targetBytes);
    require(graceMs >= 0, "--collect-grace-ms must not be negative: " + graceMs);
    require(orphanSettleMs >= 0, "--orphan-settle-ms must not be negative: " + orphanSettleMs);
  }

  /** Whether this node runs maintenance passes. */
  public boolean enabled() {
    return intervalMs > 0;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
