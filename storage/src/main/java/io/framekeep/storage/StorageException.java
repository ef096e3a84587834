package io.framekeep.storage;

/**
 * The catalogue database failed (disk full, I/O error, corruption) in a method that does not declare
 * {@link java.io.IOException}. Never caused by caller input; the server maps it to an internal error.
 */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
