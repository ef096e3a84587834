package io.framekeep.client;

/** {@code ResourceNotFoundException} (HTTP 404): the stream does not exist or is not active, or no fragment lies in the requested range. Carries the service's message. */
public final class ResourceNotFoundException extends KvsException {
  private static final long serialVersionUID = 1L;

  public ResourceNotFoundException(String message, int statusCode, String requestId, Throwable cause) {
    super("ResourceNotFoundException", message, statusCode, requestId, cause);
  }
}
