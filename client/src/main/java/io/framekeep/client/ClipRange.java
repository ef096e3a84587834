package io.framekeep.client;

import java.time.Instant;
import java.util.Objects;

/**
 * A time range of a stream: the fragments whose start lies in [start, end] on the given clock
 * (KVS semantics: both ends inclusive on the fragment start). Unlike one GetClip call, it may be
 * of any length.
 */
public record ClipRange(Instant start, Instant end, TimestampType type) {
  public ClipRange {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(type, "type");
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("end " + end + " must be after start " + start);
    }
  }
}
