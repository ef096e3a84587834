package io.framekeep.server.ingest;

import java.io.IOException;

/** Carries a storage failure out of a parser callback; mapped to ack 5001. */
final class UncheckedArchiveException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UncheckedArchiveException(IOException cause) {
    super(cause);
  }
}
