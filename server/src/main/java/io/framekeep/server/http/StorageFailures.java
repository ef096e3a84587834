package io.framekeep.server.http;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import io.framekeep.storage.StorageUnavailableException;
import java.util.Optional;

/**
 * Maps a failure of an operation to the AWS error it is when storage is out of reach: a
 * {@link StorageUnavailableException} anywhere in the causes (cluster mode: PostgreSQL or the
 * object store down) is {@code ServiceUnavailable} 503, which the SDKs retry; anything else stays
 * an internal failure.
 */
public final class StorageFailures {
  private StorageFailures() {}

  /** The 503 answer for {@code failure}, if storage being unavailable caused it. */
  public static Optional<ApiException> unavailable(Throwable failure) {
    if (!StorageUnavailableException.causes(failure)) {
      return Optional.empty();
    }
    return Optional.of(ApiException.of(AwsError.SERVICE_UNAVAILABLE,
        "Storage is temporarily unavailable; retry later."));
  }
}
