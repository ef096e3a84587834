package io.framekeep.storage.cluster;

import io.framekeep.storage.Storage.RemoteCommitListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears the commits of other nodes: every batch commit sends a PostgreSQL NOTIFY on {@link #CHANNEL} per stream
 * it commits to ({@link BatchCommit}), delivered when that transaction commits; this LISTENs on one connection of
 * its own and passes each other node's news to a {@link RemoteCommitListener}. A fragment persisted on node A so
 * reaches the live readers of node B within a database round trip, well under a second.
 *
 * <p>Failure: if the connection breaks (PostgreSQL restarted) it reconnects every {@link #RECONNECT_DELAY_MS};
 * commits made meanwhile are not reported (a live reader then catches up at its stream's next commit).
 *
 * <p>Thread safety: one daemon thread per instance; {@link #close()} from any thread.
 */
final class CommitNotifications implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CommitNotifications.class);

  /** The NOTIFY channel of fragment commits. */
  static final String CHANNEL = "framekeep_fragments";

  /** 250 ms: how long one wait for notifications blocks (they wake it at once); bounds how long close takes. */
  static final int WAIT_MS = 250;

  /** 1 s: retrying sooner would only add load to a database that is restarting. */
  static final long RECONNECT_DELAY_MS = 1000;

  private final DataSource dataSource;
  private final String ownNodeId;
  private final RemoteCommitListener listener;
  private final Thread thread;
  private volatile boolean closed;

  private CommitNotifications(DataSource dataSource, String ownNodeId, RemoteCommitListener listener) {
    this.dataSource = dataSource;
    this.ownNodeId = ownNodeId;
    this.listener = listener;
    this.thread = new Thread(this::run, "framekeep-commit-listener");
    thread.setDaemon(true);
  }

  /** Starts listening; commits by {@code ownNodeId} are not reported. */
  static CommitNotifications start(DataSource dataSource, String ownNodeId, RemoteCommitListener listener) {
    CommitNotifications notifications = new CommitNotifications(dataSource, ownNodeId, listener);
    notifications.thread.start();
    return notifications;
  }

  private void run() {
    while (!closed) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(true); // LISTEN takes effect when its transaction commits
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
        PGConnection pg = c.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] news = pg.getNotifications(WAIT_MS);
          if (news != null) {
            for (PGNotification n : news) {
              deliver(n.getParameter());
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        LOG.warn("commit notifications interrupted ({}); reconnecting", e.getMessage());
        try {
          Thread.sleep(RECONNECT_DELAY_MS);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** Parses {@code "<nodeId> <streamId> <lastSequence>"}; anything else is ignored (sent by another version). */
  private void deliver(String payload) {
    String[] parts = payload.split(" ");
    if (parts.length != 3 || parts[0].equals(ownNodeId)) {
      return;
    }
    long streamId;
    long lastSequence;
    try {
      streamId = Long.parseLong(parts[1]);
      lastSequence = Long.parseLong(parts[2]);
    } catch (NumberFormatException e) {
      return;
    }
    try {
      listener.committed(streamId, lastSequence);
    } catch (RuntimeException e) {
      LOG.warn("commit listener failed for stream {}: {}", streamId, e.toString());
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.join(WAIT_MS * 4L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
