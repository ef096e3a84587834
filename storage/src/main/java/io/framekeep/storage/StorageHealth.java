package io.framekeep.storage;

import java.util.Objects;

/**
 * Whether a storage backend can serve requests now, as a load balancer needs to know: {@code serving}, or
 * not with a short {@code reason} naming what is down (for an operator reading a health probe's output; it
 * never holds credentials).
 */
public record StorageHealth(boolean serving, String reason) {

  /** Serving; the reason is "ok". */
  public static final StorageHealth OK = new StorageHealth(true, "ok");

  public StorageHealth {
    Objects.requireNonNull(reason, "reason");
  }

  /** Not serving because of {@code reason}. */
  public static StorageHealth down(String reason) {
    return new StorageHealth(false, reason);
  }
}
