package io.framekeep.server.ingest;

import io.framekeep.api.PutMediaHeaders;
import io.framekeep.api.TimecodeType;
import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;

/**
 * A fragment's producer timestamp, as KVS defines it: the cluster timecode itself with ABSOLUTE
 * timecodes, the session's {@code x-amzn-producer-start-timestamp} plus it with RELATIVE ones.
 */
final class ProducerTimestamps {
  private ProducerTimestamps() {}

  /**
   * In milliseconds since 1970.
   *
   * @throws MediaFormatException (ack INVALID_PRODUCER_TIMESTAMP) before 1970 or on overflow
   */
  static long of(PutMediaHeaders headers, FrameTable frames) throws MediaFormatException {
    try {
      long clusterMs = Math.multiplyExact(frames.clusterTimecodeTicks(), frames.timecodeScaleNs())
          / 1_000_000L;
      long ms = headers.timecodeType() == TimecodeType.RELATIVE
          ? Math.addExact(headers.producerStartTimestampMs(), clusterMs)
          : clusterMs;
      if (ms < 0) {
        throw MediaFormatException.ingestRejected(AckErrors.INVALID_PRODUCER_TIMESTAMP,
            "producer timestamp " + ms + " ms is before 1970");
      }
      return ms;
    } catch (ArithmeticException e) {
      throw MediaFormatException.ingestRejected(AckErrors.INVALID_PRODUCER_TIMESTAMP,
          "producer timestamp overflows");
    }
  }
}
