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
}
