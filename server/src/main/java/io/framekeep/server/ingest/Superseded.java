package io.framekeep.server.ingest;

/** Stops parsing at the first fragment after a newer connection took over. */
final class Superseded extends RuntimeException {
  private static final long serialVersionUID = 1L;

  Superseded() {
    super(null, null, false, false);
  }
}
