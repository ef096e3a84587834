package io.framekeep.storage.cluster;

import io.framekeep.storage.StorageUnavailableException;

/**
 * The object store failed a request: unreachable, timed out, or answered with an error other than "no such
 * object". Nothing that depended on the request was acknowledged; the caller may retry later.
 */
public final class ObjectStoreException extends StorageUnavailableException {
  private static final long serialVersionUID = 1L;

  ObjectStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
