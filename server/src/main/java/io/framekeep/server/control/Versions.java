package io.framekeep.server.control;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import io.framekeep.storage.StreamRecord;

/** Optimistic concurrency on stream metadata: AWS's CurrentVersion rule. */
final class Versions {
  private Versions() {}

  static void requireCurrent(StreamRecord stream, String currentVersion) {
    if (currentVersion != null && !currentVersion.equals(stream.version())) {
      throw versionMismatch(stream);
    }
  }

  /** Compare-and-set; a concurrent change in between is a VersionMismatchException too. */
  static void replace(ControlContext context, StreamRecord current, StreamRecord updated) {
    if (!context.catalog().replace(current.version(), updated)) {
      throw versionMismatch(current);
    }
  }

  private static ApiException versionMismatch(StreamRecord stream) {
    return ApiException.of(AwsError.VERSION_MISMATCH,
        "The stream version does not match the latest version of stream " + stream.name() + ".");
  }
}
