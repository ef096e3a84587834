package io.framekeep.server;

import io.framekeep.storage.EmbeddedStorage;
import io.framekeep.storage.Storage;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * The storage backends a server can run on, chosen once at start ({@code framekeep serve --storage
 * NAME}). This is the one class above the storage module that names a backend's implementation
 * (an architecture test holds the rest of the server to the {@link Storage} interfaces).
 */
public enum StorageBackend {
  /** Files and SQLite in one data directory: one process, zero-copy reads. The default. */
  EMBEDDED("embedded") {
    @Override
    public Storage open(ServerConfig config) throws IOException {
      return EmbeddedStorage.open(config.dataDir(), config.clock(), config.storage());
    }
  },

  /**
   * Media in S3-compatible object storage, index and catalogue in PostgreSQL, any number of
   * nodes. Not wired into the server yet: opening it fails with {@link #CLUSTER_UNAVAILABLE}.
   */
  CLUSTER("cluster") {
    @Override
    public Storage open(ServerConfig config) throws IOException {
      throw new IOException(CLUSTER_UNAVAILABLE);
    }
  };

  /** Why {@link #CLUSTER} cannot start yet, naming what is missing; shown to the operator. */
  public static final String CLUSTER_UNAVAILABLE = "--storage cluster is not available yet: this"
      + " build has no cluster backend (media in S3-compatible object storage, index in"
      + " PostgreSQL) and none of the settings it will need (--database-url, --s3-endpoint,"
      + " --s3-bucket). Use --storage embedded, the default.";

  private final String flagValue;

  StorageBackend(String flagValue) {
    this.flagValue = flagValue;
  }

  /** The name on the command line. */
  public String flagValue() {
    return flagValue;
  }

  /** The backend called {@code name} on the command line (case-insensitive), if there is one. */
  public static Optional<StorageBackend> named(String name) {
    for (StorageBackend backend : values()) {
      if (backend.flagValue.equals(name.toLowerCase(Locale.ROOT))) {
        return Optional.of(backend);
      }
    }
    return Optional.empty();
  }

  /**
   * Opens the backend for {@code config}, running its recovery.
   *
   * @throws IOException if it cannot be opened (for {@link #CLUSTER}: always, for now)
   */
  public abstract Storage open(ServerConfig config) throws IOException;
}
