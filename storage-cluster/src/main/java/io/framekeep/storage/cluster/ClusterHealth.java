package io.framekeep.storage.cluster;

import io.framekeep.storage.StorageHealth;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Whether a cluster node can serve: PostgreSQL answers a trivial query and the object store answers a
 * HeadBucket, each within a short bound. The result is kept for {@link #CACHE_NANOS} so that load balancers
 * probing every node often cost the engines at most one check per node per second.
 *
 * <p>PostgreSQL is checked on a connection of its own, outside the node's pool: a pool busy with ingest
 * must not make the node look down, and a database that is down must be reported within the probe's short
 * timeouts rather than the pool's 5 s wait.
 *
 * <p>Thread safety: {@link #check()} may be called from any thread; concurrent callers share one check.
 */
final class ClusterHealth implements AutoCloseable {

  /**
   * 1 s: a load balancer sees a failure at most a second late, and probes from any number of balancers
   * cost at most one database query and one HeadBucket per second.
   */
  static final long CACHE_NANOS = 1_000_000_000L;

  /** 1 s to open the probe connection (driver property, seconds): PostgreSQL accepts in milliseconds. */
  static final int CONNECT_TIMEOUT_SECONDS = 1;

  /** 2 s for the probe's login and its query (driver properties, seconds), within a probe's usual 5 s. */
  static final int QUERY_TIMEOUT_SECONDS = 2;

  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final ObjectStore store;

  private Connection probe;
  private StorageHealth last;
  private long lastCheckedNanos;

  ClusterHealth(String jdbcUrl, String user, String password, ObjectStore store) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.store = store;
  }

  /** The node's health, checked now unless a check finished less than {@link #CACHE_NANOS} ago. */
  synchronized StorageHealth check() {
    long now = System.nanoTime();
    if (last != null && now - lastCheckedNanos < CACHE_NANOS) {
      return last;
    }
    StorageHealth database = checkDatabase();
    StorageHealth objects = checkObjectStore();
    if (database.serving() && objects.serving()) {
      last = StorageHealth.OK;
    } else if (!database.serving() && !objects.serving()) {
      last = StorageHealth.down(database.reason() + "; " + objects.reason());
    } else {
      last = database.serving() ? objects : database;
    }
    lastCheckedNanos = System.nanoTime();
    return last;
  }

  private StorageHealth checkDatabase() {
    try {
      if (probe == null) {
        probe = connect();
      }
      if (probe.isValid(QUERY_TIMEOUT_SECONDS)) {
        return StorageHealth.OK;
      }
      closeProbe();
      return StorageHealth.down("database: no answer within " + QUERY_TIMEOUT_SECONDS + " s");
    } catch (SQLException e) {
      closeProbe();
      return StorageHealth.down("database: " + firstLine(e.getMessage()));
    }
  }

  private Connection connect() throws SQLException {
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    properties.setProperty("loginTimeout", Integer.toString(QUERY_TIMEOUT_SECONDS));
    properties.setProperty("socketTimeout", Integer.toString(QUERY_TIMEOUT_SECONDS));
    properties.setProperty("ApplicationName", "framekeep-health");
    return DriverManager.getConnection(jdbcUrl, properties);
  }

  private StorageHealth checkObjectStore() {
    try {
      store.checkReachable();
      return StorageHealth.OK;
    } catch (IOException e) {
      return StorageHealth.down("object store: " + firstLine(e.getMessage()));
    }
  }

  private void closeProbe() {
    if (probe != null) {
      try {
        probe.close();
      } catch (SQLException ignored) {
        // The connection is broken already; there is nothing left to release.
      }
      probe = null;
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreachable";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }

  @Override
  public synchronized void close() {
    closeProbe();
  }
}
