package io.framekeep.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints the SQLite write-ahead log into the database file from a thread and a connection of its own, so
 * that no commit waits for a checkpoint. SQLite's automatic checkpoint runs inside whichever commit takes the
 * WAL past 1000 pages, while {@link Database}'s lock is held: every stream's index commit and every index read
 * then waits while pages are copied and the database file is fsync'd, which is where ingest's tail latency came
 * from. {@link Database} therefore switches the automatic checkpoint off, and this class runs a PASSIVE
 * checkpoint every {@link StorageOptions#walCheckpointPeriodMs()}: it blocks neither writers nor readers and
 * copies what no reader still needs; the WAL is reused from its start once a checkpoint has copied all of it.
 *
 * <p>Thread safety: {@link #start} and {@link #close} from one thread; the checkpoints run on the class's own.
 */
final class WalCheckpointer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
  /** A WAL holding more pages than this after a checkpoint means checkpoints keep failing to catch up. */
  private static final long WARN_WAL_PAGES = 100_000;

  private final Connection connection;
  private final ScheduledExecutorService thread;
  private final long periodMs;

  private WalCheckpointer(Connection connection, long periodMs) {
    this.connection = connection;
    this.periodMs = periodMs;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "framekeep-wal-checkpoint");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Opens a second connection to {@code databaseFile} and checkpoints every {@code periodMs} (0: only when
   * {@link #checkpoint} is called).
   */
  static WalCheckpointer start(Path databaseFile, long periodMs) throws SQLException {
    Connection connection = DriverManager.getConnection("jdbc:sqlite:" + databaseFile.toAbsolutePath());
    try (Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA busy_timeout = 1000");
      statement.execute("PRAGMA synchronous = FULL");
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    WalCheckpointer checkpointer = new WalCheckpointer(connection, periodMs);
    if (periodMs > 0) {
      checkpointer.thread.scheduleWithFixedDelay(checkpointer::checkpoint, periodMs, periodMs,
          TimeUnit.MILLISECONDS);
    }
    return checkpointer;
  }

  /** One PASSIVE checkpoint; failures are logged, and the next period tries again. */
  synchronized void checkpoint() {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      if (row.next()) {
        long walPages = row.getLong(2);
        long copiedPages = row.getLong(3);
        if (walPages - copiedPages > WARN_WAL_PAGES) {
          LOG.warn("the index WAL holds {} pages not yet checkpointed", walPages - copiedPages);
        }
      }
    } catch (SQLException e) {
      LOG.warn("WAL checkpoint failed; retrying in {} ms", periodMs, e);
    }
  }

  /** Stops checkpointing (a run under way finishes) and closes the connection. */
  @Override
  public void close() throws SQLException {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("a WAL checkpoint is still running at close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connection.close();
  }
}
