package io.framekeep.server;

import io.framekeep.api.error.ApiException;
import io.framekeep.storage.StreamCatalog;
import io.framekeep.storage.StreamRecord;
import java.util.Optional;

/**
 * Finds the stream a request names by StreamName or StreamARN, the way every KVS operation does:
 * exactly one of them (both must name the same stream), and a missing or deleted stream is
 * ResourceNotFoundException with AWS's wording. Thread-safe.
 */
public final class StreamResolver {
  public static final String NOT_FOUND_MESSAGE = "The requested stream is not found or not active.";

  private final StreamCatalog catalog;

  public StreamResolver(StreamCatalog catalog) {
    this.catalog = catalog;
  }

  public StreamRecord resolve(String streamName, String streamArn) {
    if (streamName == null && streamArn == null) {
      throw ApiException.invalidArgument("Either StreamName or StreamARN must be specified.");
    }
    Optional<StreamRecord> found =
        streamArn != null ? catalog.byArn(streamArn) : catalog.byName(streamName);
    StreamRecord stream = found.orElseThrow(() -> ApiException.resourceNotFound(NOT_FOUND_MESSAGE));
    if (streamName != null && streamArn != null && !stream.name().equals(streamName)) {
      throw ApiException.invalidArgument(
          "StreamName " + streamName + " and StreamARN " + streamArn + " name different streams.");
    }
    return stream;
  }
}
