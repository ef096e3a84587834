package io.framekeep.client;

/** {@code UnsupportedStreamMediaTypeException} (HTTP 400): the stream's tracks are not a codec combination the operation can package. Carries the service's message. */
public final class UnsupportedStreamMediaTypeException extends KvsException {
  private static final long serialVersionUID = 1L;

  public UnsupportedStreamMediaTypeException(String message, int statusCode, String requestId, Throwable cause) {
    super("UnsupportedStreamMediaTypeException", message, statusCode, requestId, cause);
  }
}
