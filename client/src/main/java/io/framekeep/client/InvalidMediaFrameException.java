package io.framekeep.client;

/** {@code InvalidMediaFrameException} (HTTP 400): a frame of the clip cannot be parsed with the declared codec. Carries the service's message. */
public final class InvalidMediaFrameException extends KvsException {
  private static final long serialVersionUID = 1L;

  public InvalidMediaFrameException(String message, int statusCode, String requestId, Throwable cause) {
    super("InvalidMediaFrameException", message, statusCode, requestId, cause);
  }
}
