package io.framekeep.client;

/** {@code ConnectionLimitExceededException} (HTTP 400): another PutMedia connection is already open on the stream. Carries the service's message. */
public final class ConnectionLimitExceededException extends KvsException {
  private static final long serialVersionUID = 1L;

  public ConnectionLimitExceededException(String message, int statusCode, String requestId, Throwable cause) {
    super("ConnectionLimitExceededException", message, statusCode, requestId, cause);
  }
}
