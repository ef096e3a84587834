package io.framekeep.client;

/** {@code NoDataRetentionException} (HTTP 400): the stream keeps no media (DataRetentionInHours is 0). Carries the service's message. */
public final class NoDataRetentionException extends KvsException {
  private static final long serialVersionUID = 1L;

  public NoDataRetentionException(String message, int statusCode, String requestId, Throwable cause) {
    super("NoDataRetentionException", message, statusCode, requestId, cause);
  }
}
