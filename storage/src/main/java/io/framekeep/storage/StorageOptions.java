package io.framekeep.storage;

/**
 * Tunables of the embedded storage engine.
 *
 * @param maxSegmentBytes once the active segment file of a stream holds at least this many bytes, the next
 *     fragment starts a new segment file. Fragments never span segments, so a segment may exceed this size by
 *     up to one fragment. Smaller segments let retention reclaim disk space in finer steps; larger ones keep
 *     the number of open files and directory entries low.
 */
public record StorageOptions(long maxSegmentBytes) {

  /**
   * 1 GiB: at the KVS per-stream bandwidth ceiling (12.5 MB/s) a segment lasts about 80 seconds, at a typical
   * 2-8 Mbit/s camera stream 20-70 minutes, so a stream with a day of retention keeps tens of files, and
   * retention frees space in steps no larger than this.
   */
  public static final long DEFAULT_MAX_SEGMENT_BYTES = 1L << 30;

  public StorageOptions {
    if (maxSegmentBytes <= 0) {
      throw new IllegalArgumentException("maxSegmentBytes must be positive: " + maxSegmentBytes);
    }
  }

  /** The options used by {@link EmbeddedStorage#open(java.nio.file.Path, java.time.Clock)}. */
  public static StorageOptions defaults() {
    return new StorageOptions(DEFAULT_MAX_SEGMENT_BYTES);
  }
}
