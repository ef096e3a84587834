package io.framekeep.server.http;

import io.framekeep.api.auth.VerifiedCaller;

/**
 * One AWS operation with a buffered JSON request (everything except PutMedia). Implementations run
 * on a blocking worker thread, never on an event loop, and signal AWS errors by throwing
 * {@code io.framekeep.api.ApiException}; anything else thrown is a bug and becomes a 500.
 */
@FunctionalInterface
public interface Operation {
  Response handle(byte[] body, VerifiedCaller caller) throws Exception;

  /**
   * The same with the request's headers, for the few operations that take options outside the
   * AWS request shape (documented Framekeep extensions); by default headers are ignored.
   *
   * @param headers header lookup by case-insensitive name; null when absent
   */
  default Response handle(byte[] body, VerifiedCaller caller,
      java.util.function.Function<String, String> headers) throws Exception {
    return handle(body, caller);
  }
}
