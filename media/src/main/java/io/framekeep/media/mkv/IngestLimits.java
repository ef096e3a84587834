package io.framekeep.media.mkv;

/**
 * Bounds a PutMedia body must respect, checked by {@link MkvIngestParser} as bytes arrive.
 *
 * @param maxFragmentBytes largest Cluster, element header included (ack 4001 beyond it); at most
 *     {@link Integer#MAX_VALUE} because frame offsets inside a fragment are ints
 * @param maxFragmentDurationNs longest span from a fragment's earliest frame to the end of its
 *     latest frame (ack 4002 beyond it)
 * @param maxTracks most TrackEntry elements in Tracks (ack 4012 beyond it)
 * @param maxHeaderBytes most bytes before the first Cluster (malformed, ack 4006, beyond it);
 *     this header is kept in memory for the whole session
 */
public record IngestLimits(
    long maxFragmentBytes, long maxFragmentDurationNs, int maxTracks, int maxHeaderBytes) {
  /** KVS quota: a fragment is at most 50 MB. */
  public static final long KVS_MAX_FRAGMENT_BYTES = 50L * 1024 * 1024;
  /** KVS quota page: a fragment lasts at most 20 s (older docs say 10 s; the quota page wins). */
  public static final long KVS_MAX_FRAGMENT_DURATION_NS = 20_000_000_000L;
  /** KVS: at most 3 tracks per stream. */
  public static final int KVS_MAX_TRACKS = 3;
  /**
   * 4 MiB: CodecPrivate is at most 1 MiB per track (producer SDK limit), times 3 tracks, plus
   * 1 MiB for Info, Tags, SeekHead and padding.
   */
  public static final int KVS_MAX_HEADER_BYTES = 4 * 1024 * 1024;

  /** Rejects limits that could not be enforced; these are programmer errors, not bad input. */
  public IngestLimits {
    if (maxFragmentBytes <= 0 || maxFragmentBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("maxFragmentBytes must be in 1.." + Integer.MAX_VALUE);
    }
    if (maxFragmentDurationNs <= 0 || maxTracks <= 0 || maxHeaderBytes <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  /** The limits of the real service. */
  public static IngestLimits kvsDefaults() {
    return new IngestLimits(
        KVS_MAX_FRAGMENT_BYTES, KVS_MAX_FRAGMENT_DURATION_NS, KVS_MAX_TRACKS, KVS_MAX_HEADER_BYTES);
  }
}
