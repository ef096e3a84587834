package io.framekeep.storage;

import java.io.IOException;

/**
 * A payload handed to storage is larger than the named limit that guards it (fragment, header or frame
 * table size). Nothing was stored; the caller may discard the pending fragment and report the KVS limit error.
 */
public final class StorageLimitExceededException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String limitName;
  private final long limit;
  private final long actual;

  public StorageLimitExceededException(String limitName, long limit, long actual) {
    super(limitName + " exceeded: " + actual + " > " + limit);
    this.limitName = limitName;
    this.limit = limit;
    this.actual = actual;
  }

  /** The name of the constant that was exceeded, e.g. {@code MAX_FRAGMENT_BYTES}. */
  public String limitName() {
    return limitName;
  }

  public long limit() {
    return limit;
  }

  public long actual() {
    return actual;
  }
}
