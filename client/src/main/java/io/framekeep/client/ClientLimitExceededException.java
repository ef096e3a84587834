package io.framekeep.client;

/** {@code ClientLimitExceededException} (HTTP 400): the call was throttled; the client retries it with backoff before raising this. Carries the service's message. */
public final class ClientLimitExceededException extends KvsException {
  private static final long serialVersionUID = 1L;

  public ClientLimitExceededException(String message, int statusCode, String requestId, Throwable cause) {
    super("ClientLimitExceededException", message, statusCode, requestId, cause);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
