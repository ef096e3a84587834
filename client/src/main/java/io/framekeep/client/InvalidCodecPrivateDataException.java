package io.framekeep.client;

/** {@code InvalidCodecPrivateDataException} (HTTP 400): codec private data is present but unusable, or changes within the clip. Carries the service's message. */
public final class InvalidCodecPrivateDataException extends KvsException {
  private static final long serialVersionUID = 1L;

  public InvalidCodecPrivateDataException(String message, int statusCode, String requestId, Throwable cause) {
    super("InvalidCodecPrivateDataException", message, statusCode, requestId, cause);
  }
}
