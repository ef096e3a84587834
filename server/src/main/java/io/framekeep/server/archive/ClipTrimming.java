package io.framekeep.server.archive;

import io.framekeep.api.error.ApiException;
import io.framekeep.media.mp4.ClipSource;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.TimeOrigin;
import java.util.List;
import java.util.Locale;

/**
 * Framekeep's exact-trim extension of GetClip. AWS returns whole fragments; a request carrying
 * the header {@code x-framekeep-clip-trim: exact} gets a clip whose edit lists show only
 * {@code [StartTimestamp, EndTimestamp)}, without re-encoding (decoding still starts at the key
 * frame before the start, hidden). {@code fragments} (or no header) is AWS's behaviour.
 *
 * <p>A requested timestamp is placed on the clip's timeline (producer time) by the fragment it
 * falls in: producer timestamps are exact; server timestamps assume the frames arrived at the pace
 * of their timestamps after the fragment's first byte.
 */
final class ClipTrimming {
  static final String HEADER = "x-framekeep-clip-trim";
  static final String EXACT = "exact";
  static final String FRAGMENTS = "fragments";
  private static final long NS_PER_MS = 1_000_000L;

  private ClipTrimming() {}

  /** Whether the request asks for exact trimming; an unknown value is InvalidArgumentException. */
  static boolean exactRequested(String headerValue) {
    if (headerValue == null) {
      return false;
    }
    String v = headerValue.trim().toLowerCase(Locale.ROOT);
    if (v.equals(EXACT)) {
      return true;
    }
    if (v.equals(FRAGMENTS)) {
      return false;
    }
    throw ApiException.invalidArgument("Header " + HEADER + " must be " + EXACT + " or "
        + FRAGMENTS + ", not '" + headerValue + "'.");
  }

  /**
   * The window on the clip's timeline (producer time in nanoseconds, see {@link ClipSource}) for a
   * request range in epoch milliseconds.
   */
  static ClipSource.Trim window(TimeOrigin origin, long startMs, long endMs,
      List<FragmentRecord> chosen) {
    long startNs = toTimelineNs(origin, startMs, chosen.get(0));
    long endNs = toTimelineNs(origin, endMs, chosen.get(chosen.size() - 1));
    return new ClipSource.Trim(startNs, Math.max(endNs, startNs + 1));
  }

  private static long toTimelineNs(TimeOrigin origin, long ms, FragmentRecord f) {
    return (f.producerTimestampMs() + ms - f.timestampMs(origin)) * NS_PER_MS;
  }
}
