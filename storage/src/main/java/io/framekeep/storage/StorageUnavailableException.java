package io.framekeep.storage;

import java.io.IOException;

/**
 * A storage engine the backend depends on could not be reached or answered with a failure of its own (the
 * cluster backend's PostgreSQL or object store): the request may succeed if retried later, and nothing was
 * acknowledged on its behalf. Thrown as it is by methods that declare {@link IOException}, and as the cause of
 * a {@link StorageException} by those that do not. The server answers {@code ServiceUnavailable} (503), which
 * the AWS SDKs retry.
 */
public class StorageUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether {@code failure} or one of its causes is a {@link StorageUnavailableException}. */
  public static boolean causes(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StorageUnavailableException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
