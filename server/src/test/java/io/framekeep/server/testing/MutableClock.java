package io.framekeep.server.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand. Thread-safe. */
public final class MutableClock extends Clock {
  private volatile Instant now;

  public MutableClock(Instant start) {
    this.now = start;
  }

  public void advance(Duration by) {
    now = now.plus(by);
  }

  public void set(Instant to) {
    now = to;
  }

  /** Moves the clock on by {@code ms} milliseconds. */
  public void advanceMillis(long ms) {
    advance(Duration.ofMillis(ms));
  }

  /** A clock at {@code epochMs}. */
  public static MutableClock atEpochMillis(long epochMs) {
    return new MutableClock(Instant.ofEpochMilli(epochMs));
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
