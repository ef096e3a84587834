package io.framekeep.client;

/** {@code InvalidArgumentException} (HTTP 400): a parameter is missing, out of range or in a wrong combination; also raised by the client itself (status 0) for a request the service would reject. Carries the service's message. */
public final class InvalidArgumentException extends KvsException {
  private static final long serialVersionUID = 1L;

  public InvalidArgumentException(String message, int statusCode, String requestId, Throwable cause) {
    super("InvalidArgumentException", message, statusCode, requestId, cause);
  }
}
