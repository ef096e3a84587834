package io.framekeep.storage.cluster;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.framekeep.storage.StorageUnavailableException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The PostgreSQL database of a cluster: a connection pool, the schema migrations, and transactions.
 *
 * <p>Schema: versioned Flyway migrations in {@code db/migration/cluster} ({@code V1__cluster_schema.sql}
 * documents every table). {@link #open} migrates before returning. Flyway takes a PostgreSQL advisory lock
 * around the migration, so any number of nodes may start at once: one applies each migration, the others wait
 * and then find the schema current. A schema newer than this build knows is accepted (Flyway ignores
 * future migrations), so that during a rolling upgrade the old nodes keep running: migrations must therefore
 * only add (tables, nullable columns, indexes) until every node runs the newer build.
 *
 * <p>Thread safety: any number of threads may run transactions at once (one pooled connection each).
 */
public final class ClusterDatabase implements AutoCloseable {

  /** Where the migrations live on the classpath. */
  static final String MIGRATIONS = "classpath:db/migration/cluster";

  /**
   * 10 connections: a node runs one batch commit at a time plus catalogue calls and range queries from the
   * request threads; 10 leaves headroom and keeps 20 nodes under PostgreSQL's default 100 connections.
   */
  static final int DEFAULT_POOL_SIZE = 10;

  /**
   * 5 s to get a connection: long enough to ride over a pool busy with a burst of requests, short enough
   * that a database that is down turns into a storage error while the producer can still be told.
   */
  static final long CONNECTION_TIMEOUT_MS = 5_000;

  /**
   * 30 s without a byte from the server fails a statement: every statement here takes milliseconds, so this
   * only fires when the database or the network to it is gone without a reset (a partition), which must turn
   * into failed flushes (error acks) rather than ingest hanging forever. Driver property, in seconds.
   */
  static final int SOCKET_TIMEOUT_SECONDS = 30;

  /** 5 s for the TCP connect, like {@link #CONNECTION_TIMEOUT_MS}. Driver property, in seconds. */
  static final int CONNECT_TIMEOUT_SECONDS = 5;

  /** A unit of work in one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException, IOException;
  }

  private final HikariDataSource pool;

  private ClusterDatabase(HikariDataSource pool) {
    this.pool = pool;
  }

  /**
   * Connects to {@code jdbcUrl} (user and password may be null when the URL or the server's authentication
   * needs none), migrates the schema and returns the pool.
   *
   * @throws IOException if the database cannot be reached or migrated
   */
  public static ClusterDatabase open(String jdbcUrl, String user, String password) throws IOException {
    return open(jdbcUrl, user, password, DEFAULT_POOL_SIZE);
  }

  /** {@link #open(String, String, String)} with an explicit pool size. */
  public static ClusterDatabase open(String jdbcUrl, String user, String password, int poolSize)
      throws IOException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(1);
    config.setAutoCommit(false);
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
    // Fail at start, not at the first request, when the database is unreachable.
    config.setInitializationFailTimeout(CONNECTION_TIMEOUT_MS);
    config.setPoolName("framekeep-cluster");
    // Defaults only: parameters given in the URL take precedence in the PostgreSQL driver.
    config.addDataSourceProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS));
    config.addDataSourceProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    config.addDataSourceProperty("tcpKeepAlive", "true");
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new IOException("cannot connect to " + redact(jdbcUrl), e);
    }
    try {
      migrate(pool);
      return new ClusterDatabase(pool);
    } catch (IOException | RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /** Applies pending migrations; returns how many were applied (0 when another node did it). */
  static int migrate(DataSource dataSource) throws IOException {
    try {
      return Flyway.configure()
          .dataSource(dataSource)
          .locations(MIGRATIONS)
          .validateMigrationNaming(true)
          .load()
          .migrate()
          .migrationsExecuted;
    } catch (FlywayException e) {
      throw new IOException("schema migration failed: " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. When the
   * database had dropped the pooled connection before the work reached its commit ({@link #droppedByServer}:
   * it restarted, or ended the session), the server has rolled the transaction back, so the work runs once
   * more on a fresh connection; the pool's other idle connections, which most likely died the same way, are
   * evicted first. A failure at the commit itself is never retried: its outcome is unknown.
   */
  public <T> T transaction(Work<T> work) throws SQLException, IOException {
    try {
      return once(work, true);
    } catch (DroppedBeforeCommit dropped) {
      pool.getHikariPoolMXBean().softEvictConnections();
      return once(work, false);
    }
  }

  private <T> T once(Work<T> work, boolean mayRetry) throws SQLException, IOException {
    try (Connection connection = pool.getConnection()) {
      T result;
      try {
        result = work.run(connection);
      } catch (SQLException e) {
        rollBack(connection, e);
        throw mayRetry && droppedByServer(e) ? new DroppedBeforeCommit(e) : e;
      } catch (IOException | RuntimeException e) {
        rollBack(connection, e);
        throw e;
      }
      try {
        connection.commit();
      } catch (SQLException e) {
        rollBack(connection, e);
        throw e;
      }
      return result;
    }
  }

  private static void rollBack(Connection connection, Exception failure) {
    try {
      connection.rollback();
    } catch (SQLException rollback) {
      failure.addSuppressed(rollback);
    }
  }

  /**
   * Whether {@code e} says the server ended the connection (shut down, restarted, or the connection is
   * gone): PostgreSQL's 57P01/57P02 or a connection failure (08003, 08006) that was not a timeout. A
   * timeout (a partition) is not retried: a second attempt would only double the wait.
   */
  static boolean droppedByServer(SQLException e) {
    boolean dropped = false;
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof java.net.SocketTimeoutException) {
        return false;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        dropped |= state.equals("57P01") || state.equals("57P02") || state.equals("08003")
            || state.equals("08006");
      }
    }
    return dropped;
  }

  /** A connection the server had dropped, found before the commit; only {@link #transaction} sees it. */
  private static final class DroppedBeforeCommit extends SQLException {
    DroppedBeforeCommit(SQLException cause) {
      super(cause.getMessage(), cause.getSQLState(), cause);
    }
  }

  /**
   * {@link #transaction} for callers that report database failures as {@link IOException}: a
   * {@link StorageUnavailableException} when the database could not be reached ({@link #unreachable}).
   */
  public <T> T io(String what, Work<T> work) throws IOException {
    try {
      return transaction(work);
    } catch (SQLException e) {
      if (unreachable(e)) {
        throw new StorageUnavailableException(what + " failed, the database is unavailable: " + e.getMessage(), e);
      }
      throw new IOException(what + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * {@link #transaction} for callers that report failures as the unchecked StorageException (caused by a
   * {@link StorageUnavailableException} when the database could not be reached).
   */
  public <T> T call(String what, Work<T> work) {
    try {
      return transaction(work);
    } catch (SQLException e) {
      throw failure(what, e);
    } catch (IOException e) {
      throw new io.framekeep.storage.StorageException(what + " failed: " + e.getMessage(), e);
    }
  }

  /** The unchecked form of a failed statement, caused by a {@link StorageUnavailableException} if unreachable. */
  static io.framekeep.storage.StorageException failure(String what, SQLException e) {
    Throwable cause = unreachable(e)
        ? new StorageUnavailableException("the database is unavailable: " + e.getMessage(), e) : e;
    return new io.framekeep.storage.StorageException(what + " failed: " + e.getMessage(), cause);
  }

  /**
   * Whether {@code e} says the database could not be reached or went away, as opposed to refusing a statement:
   * no pooled connection within {@link #CONNECTION_TIMEOUT_MS}, SQLSTATE class 08 (connection exception), or
   * 57P01-57P03 (the server shutting down, crashed, or not yet accepting connections).
   */
  static boolean unreachable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException
          || t instanceof java.net.ConnectException || t instanceof java.net.SocketTimeoutException) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
          return true;
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  DataSource dataSource() {
    return pool;
  }

  private static String redact(String jdbcUrl) {
    return jdbcUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  @Override
  public void close() {
    pool.close();
  }
}
