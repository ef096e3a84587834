package io.framekeep.client;

import java.time.Instant;

/**
 * How producer timestamps of a PutMedia upload are derived (spec §1.4).
 *
 * @param timecodeType {@code RELATIVE} (cluster timecodes count from {@code producerStart}, as
 *     ffmpeg's {@code -live 1} Matroska writes them) or {@code ABSOLUTE}
 * @param producerStart when the producer started; null means "now" (RELATIVE only)
 */
public record PutMediaOptions(String timecodeType, Instant producerStart) {
  public static final String RELATIVE = "RELATIVE";
  public static final String ABSOLUTE = "ABSOLUTE";

  public PutMediaOptions {
    if (!RELATIVE.equals(timecodeType) && !ABSOLUTE.equals(timecodeType)) {
      throw new IllegalArgumentException("timecodeType must be RELATIVE or ABSOLUTE: " + timecodeType);
    }
  }

  /** RELATIVE timecodes starting now: the right choice for a live encoder. */
  public static PutMediaOptions relativeToNow() {
    return new PutMediaOptions(RELATIVE, null);
  }
}
