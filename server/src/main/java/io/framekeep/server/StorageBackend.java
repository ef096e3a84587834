package io.framekeep.server;

import io.framekeep.storage.EmbeddedStorage;
import io.framekeep.storage.Storage;
import io.framekeep.storage.cluster.ClusterConfig;
import io.framekeep.storage.cluster.ClusterStorage;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
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
   * nodes sharing them. Settings from {@link ServerConfig#storageSettings()} and, for those
   * absent, {@code FRAMEKEEP_*} environment variables ({@link ClusterConfig#from}).
   */
  CLUSTER("cluster") {
    @Override
    public Storage open(ServerConfig config) throws IOException {
      ClusterConfig cluster;
      try {
        cluster = clusterConfig(config, System.getenv());
      } catch (IllegalArgumentException e) {
        throw new IOException(e.getMessage(), e);
      }
      ClusterStorage storage =
          ClusterStorage.open(cluster.withDefaultCacheDir(config.dataDir()), config.clock());
      storage.startMaintenance();
      return storage;
    }
  };

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
   * Opens the backend for {@code config}, running its recovery (for {@link #CLUSTER}: migrating
   * the database schema).
   *
   * @throws IOException if it cannot be opened (its message says why; for {@link #CLUSTER} it
   *     names a setting that is missing or malformed)
   */
  public abstract Storage open(ServerConfig config) throws IOException;

  /**
   * The cluster settings of {@code config} with {@code env} filling in those absent: checked
   * before anything is opened, so that the command line can report a missing flag as a usage
   * error.
   *
   * @throws IllegalArgumentException naming the flag that is missing or malformed
   */
  public static ClusterConfig clusterConfig(ServerConfig config, Map<String, String> env) {
    return checkClusterSettings(config.storageSettings(), env);
  }

  /**
   * Checks cluster settings ({@link ServerConfig#storageSettings()} form) with {@code env}
   * filling in those absent, for the command line to report a usage error before starting.
   *
   * @throws IllegalArgumentException naming the flag that is missing or malformed
   */
  public static ClusterConfig checkClusterSettings(Map<String, String> settings,
      Map<String, String> env) {
    return ClusterConfig.from(settings, env);
  }
}
