package io.framekeep.client;

/** {@code NotAuthorizedException} (HTTP 401): the caller may not perform the operation, or its token expired. Carries the service's message. */
public final class NotAuthorizedException extends KvsException {
  private static final long serialVersionUID = 1L;

  public NotAuthorizedException(String message, int statusCode, String requestId, Throwable cause) {
    super("NotAuthorizedException", message, statusCode, requestId, cause);
  }
}
