package io.framekeep.client;

/** {@code MissingCodecPrivateDataException} (HTTP 400): a track of a selected fragment has no codec private data. Carries the service's message. */
public final class MissingCodecPrivateDataException extends KvsException {
  private static final long serialVersionUID = 1L;

  public MissingCodecPrivateDataException(String message, int statusCode, String requestId, Throwable cause) {
    super("MissingCodecPrivateDataException", message, statusCode, requestId, cause);
  }
}
