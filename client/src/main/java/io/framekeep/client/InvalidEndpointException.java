package io.framekeep.client;

/** {@code InvalidEndpointException} (HTTP 400): the request went to an endpoint GetDataEndpoint did not return for it. Carries the service's message. */
public final class InvalidEndpointException extends KvsException {
  private static final long serialVersionUID = 1L;

  public InvalidEndpointException(String message, int statusCode, String requestId, Throwable cause) {
    super("InvalidEndpointException", message, statusCode, requestId, cause);
  }
}
