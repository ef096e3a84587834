package io.framekeep.client;

import java.time.Instant;

/**
 * One archived fragment as ListFragments describes it.
 *
 * @param fragmentNumber the service-assigned number (decimal text, up to 128 digits)
 * @param producerTimestamp start time from the producer's clock (ms precision)
 * @param serverTimestamp arrival time of the fragment's first byte (ms precision)
 * @param lengthMs playback duration
 * @param sizeBytes size of the stored Matroska fragment
 */
public record Fragment(String fragmentNumber, Instant producerTimestamp, Instant serverTimestamp,
    long lengthMs, long sizeBytes) {
  /** The start time on the given clock. */
  public Instant timestamp(TimestampType type) {
    return type == TimestampType.SERVER ? serverTimestamp : producerTimestamp;
  }
}
