package io.framekeep.storage;

/**
 * Tunables of the embedded storage engine.
 *
 * @param maxSegmentBytes once the active segment file of a stream holds at least this many bytes, the next
 *     fragment starts a new segment file. Fragments never span segments, so a segment may exceed this size by
 *     up to one fragment. Smaller segments let retention reclaim disk space in finer steps; larger ones keep
 *     the number of open files and directory entries low.
 * @param walCheckpointPeriodMs how often the index's write-ahead log is checkpointed into the database file,
 *     off the commit path ({@link WalCheckpointer}); 0 only on demand (tests)
 */
public record StorageOptions(long maxSegmentBytes, long walCheckpointPeriodMs) {

  /**
   * 1 GiB: at the KVS per-stream bandwidth ceiling (12.5 MB/s) a segment lasts about 80 seconds, at a typical
   * 2-8 Mbit/s camera stream 20-70 minutes, so a stream with a day of retention keeps tens of files, and
   * retention frees space in steps no larger than this.
   */
  public static final long DEFAULT_MAX_SEGMENT_BYTES = 1L << 30;

  /** Once a second keeps the WAL to about a second of commits (a few MB at 200 streams). */
  public static final long DEFAULT_WAL_CHECKPOINT_PERIOD_MS = 1000;

  public StorageOptions {
    if (maxSegmentBytes <= 0) {
      throw new IllegalArgumentException("maxSegmentBytes must be positive: " + maxSegmentBytes);
    }
    if (walCheckpointPeriodMs < 0) {
      throw new IllegalArgumentException("walCheckpointPeriodMs must not be negative: " + walCheckpointPeriodMs);
    }
  }

  /** These segments with the default checkpoint period. */
  public StorageOptions(long maxSegmentBytes) {
    this(maxSegmentBytes, DEFAULT_WAL_CHECKPOINT_PERIOD_MS);
  }

  public StorageOptions withWalCheckpointPeriodMs(long periodMs) {
    return new StorageOptions(maxSegmentBytes, periodMs);
  }

  /** The options used by {@link EmbeddedStorage#open(java.nio.file.Path, java.time.Clock)}. */
  public static StorageOptions defaults() {
    return new StorageOptions(DEFAULT_MAX_SEGMENT_BYTES);
  }
}
