package io.framekeep.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The SQLite database holding the stream catalogue and the fragment index ({@code dataDir/framekeep.db}).
 *
 * <h2>Schema (version {@value #SCHEMA_VERSION}, stored in {@code PRAGMA user_version})</h2>
 *
 * <pre>
 * streams      stream_id INTEGER PK AUTOINCREMENT  -- never reused: names the segment directory
 *              name, arn, device_name, media_type, kms_key_id, version, status, storage_tier  TEXT
 *              creation_time_ms INTEGER, data_retention_hours INTEGER
 *              deleted INTEGER 0|1                 -- deleted rows stay so ids are never reused
 *              last_sequence INTEGER               -- per-stream fragment counter (last number handed out)
 *   UNIQUE INDEX streams_live_name (name) WHERE deleted = 0
 *   INDEX        streams_arn (arn)
 * stream_tags  stream_id, tag_key, tag_value; PK (stream_id, tag_key)
 * headers      header_id INTEGER PK AUTOINCREMENT, stream_id, sha256 TEXT (lower-case hex of bytes),
 *              bytes BLOB, created_ms INTEGER; UNIQUE (stream_id, sha256)
 * fragments    stream_id, sequence, producer_ms, server_ms, duration_ms, segment_id,
 *              segment_offset, length_bytes, header_id -&gt; headers, frame_table BLOB;
 *              PK (stream_id, sequence)
 *   INDEX fragments_by_producer (stream_id, producer_ms, sequence)  -- range queries, PRODUCER origin
 *   INDEX fragments_by_server   (stream_id, server_ms, sequence)    -- range queries, SERVER origin, retention
 *   INDEX fragments_by_segment  (stream_id, segment_id, sequence)   -- recovery and segment reclamation
 *   INDEX fragments_coverage    (stream_id, producer_ms, sequence, duration_ms) -- timeline coverage
 *                               without reading the rows' frame tables (added by later versions of
 *                               schema 1: created on open when missing; older code maintains it too)
 * </pre>
 *
 * <p>The payload location columns are called {@code segment_offset}/{@code length_bytes} because
 * {@code OFFSET} is reserved in PostgreSQL. All statements outside this class's DDL (row values,
 * {@code RETURNING}, {@code ON CONFLICT}, partial indexes, {@code substr}) run unchanged on PostgreSQL; the DDL
 * differs only in {@code AUTOINCREMENT}/{@code BLOB} (identity columns/{@code BYTEA} there), and names must
 * compare in the {@code "C"} collation there.
 *
 * <p>Settings: WAL journal, {@code synchronous=FULL} (a commit is on disk when it returns), foreign keys on.
 *
 * <h2>Damage</h2>
 *
 * A torn or garbage tail of {@code framekeep.db-wal} is harmless: SQLite ignores frames that fail their
 * checksum, so every transaction committed before the tear survives. A damaged {@code framekeep.db} (not a
 * database, truncated, or failing {@code PRAGMA quick_check} after an unclean shutdown; see
 * {@link IndexIntegrity}) makes open fail with a {@link CorruptIndexException} naming the file; the storage
 * never serves it, and never lets recovery act on it. Recovery procedure: stop the server and copy the data
 * directory aside; run {@code sqlite3 framekeep.db .recover > dump.sql && sqlite3 recovered.db < dump.sql};
 * check that {@code sqlite3 recovered.db 'PRAGMA integrity_check'} prints {@code ok}; replace
 * {@code framekeep.db} by {@code recovered.db} and remove {@code framekeep.db-wal} and {@code framekeep.db-shm}.
 * At the next start, recovery truncates or deletes the segment bytes the recovered index does not name. Or
 * restore the file from a backup.
 *
 * <p>Thread safety: one connection, guarded by a fair lock; every unit of work runs as one transaction while
 * holding it. Calls from many threads are therefore safe and serialized; the critical sections are short
 * (index rows only; payload bytes never pass through here). Callers holding a per-stream segment lock may
 * take this lock, never the other way round.
 */
final class Database implements AutoCloseable {

  /** Bumped whenever the schema changes; a database with a newer version is refused. */
  static final int SCHEMA_VERSION = 1;

  /**
   * 10 s: another process (an offline fsck tool) may briefly hold the database; waiting this long before
   * failing rides over that without hanging a request indefinitely.
   */
  private static final int BUSY_TIMEOUT_MS = 10_000;

  private static final String[] DDL = {
    "CREATE TABLE IF NOT EXISTS streams ("
        + " stream_id INTEGER PRIMARY KEY AUTOINCREMENT,"
        + " name TEXT NOT NULL, arn TEXT NOT NULL, device_name TEXT, media_type TEXT, kms_key_id TEXT,"
        + " version TEXT, status TEXT, creation_time_ms INTEGER NOT NULL,"
        + " data_retention_hours INTEGER NOT NULL, storage_tier TEXT,"
        + " deleted INTEGER NOT NULL DEFAULT 0, last_sequence INTEGER NOT NULL DEFAULT 0)",
    "CREATE UNIQUE INDEX IF NOT EXISTS streams_live_name ON streams (name) WHERE deleted = 0",
    "CREATE INDEX IF NOT EXISTS streams_arn ON streams (arn)",
    "CREATE TABLE IF NOT EXISTS stream_tags ("
        + " stream_id INTEGER NOT NULL REFERENCES streams (stream_id),"
        + " tag_key TEXT NOT NULL, tag_value TEXT NOT NULL,"
        + " PRIMARY KEY (stream_id, tag_key))",
    "CREATE TABLE IF NOT EXISTS headers ("
        + " header_id INTEGER PRIMARY KEY AUTOINCREMENT,"
        + " stream_id INTEGER NOT NULL REFERENCES streams (stream_id),"
        + " sha256 TEXT NOT NULL, bytes BLOB NOT NULL, created_ms INTEGER NOT NULL,"
        + " UNIQUE (stream_id, sha256))",
    "CREATE TABLE IF NOT EXISTS fragments ("
        + " stream_id INTEGER NOT NULL REFERENCES streams (stream_id),"
        + " sequence INTEGER NOT NULL,"
        + " producer_ms INTEGER NOT NULL, server_ms INTEGER NOT NULL, duration_ms INTEGER NOT NULL,"
        + " segment_id INTEGER NOT NULL, segment_offset INTEGER NOT NULL, length_bytes INTEGER NOT NULL,"
        + " header_id INTEGER NOT NULL REFERENCES headers (header_id),"
        + " frame_table BLOB NOT NULL,"
        + " PRIMARY KEY (stream_id, sequence))",
    "CREATE INDEX IF NOT EXISTS fragments_by_producer ON fragments (stream_id, producer_ms, sequence)",
    "CREATE INDEX IF NOT EXISTS fragments_by_server ON fragments (stream_id, server_ms, sequence)",
    "CREATE INDEX IF NOT EXISTS fragments_by_segment ON fragments (stream_id, segment_id, sequence)",
    "CREATE INDEX IF NOT EXISTS fragments_coverage"
        + " ON fragments (stream_id, producer_ms, sequence, duration_ms)",
  };

  /** A unit of work run inside one transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** Binds parameters to a statement (the shared {@link JdbcStatements.Binder}). */
  @FunctionalInterface
  interface Binder extends JdbcStatements.Binder {}

  /** Maps the current row of a result set (the shared {@link JdbcStatements.RowMapper}). */
  @FunctionalInterface
  interface RowMapper<T> extends JdbcStatements.RowMapper<T> {}

  private final ReentrantLock lock = new ReentrantLock(true);
  private final Connection connection;

  private Database(Connection connection) {
    this.connection = connection;
  }

  /**
   * Opens (creating if needed) the database file and brings its schema up to date. After an unclean shutdown
   * runs {@code PRAGMA quick_check} first ({@link IndexIntegrity}).
   *
   * @throws CorruptIndexException if SQLite finds the file damaged or not a database
   */
  static Database open(Path file) throws IOException {
    boolean unclean = IndexIntegrity.uncleanShutdown(file);
    // SQLite gives its -wal and -shm files the database file's permissions: create it 0600.
    OwnerOnlyFiles.createFileIfAbsent(file);
    Connection connection = null;
    try {
      connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MS);
        statement.execute("PRAGMA journal_mode = WAL");
        if (unclean) {
          IndexIntegrity.quickCheck(connection, file);
        }
        statement.execute("PRAGMA synchronous = FULL");
        // Checkpoints run on their own thread (WalCheckpointer), never inside a commit holding the lock.
        statement.execute("PRAGMA wal_autocheckpoint = 0");
        statement.execute("PRAGMA foreign_keys = ON");
        int version;
        try (ResultSet rows = statement.executeQuery("PRAGMA user_version")) {
          version = rows.next() ? rows.getInt(1) : 0;
        }
        if (version > SCHEMA_VERSION) {
          throw new IOException("database " + file + " has schema version " + version
              + ", newer than the supported " + SCHEMA_VERSION);
        }
        connection.setAutoCommit(false);
        for (String ddl : DDL) {
          statement.execute(ddl);
        }
        statement.execute("PRAGMA user_version = " + SCHEMA_VERSION);
        connection.commit();
      }
      return new Database(connection);
    } catch (SQLException | IOException e) {
      closeQuietly(connection, e);
      if (e instanceof IOException io) {
        throw io;
      }
      if (IndexIntegrity.isCorruption(e)) {
        throw new CorruptIndexException(file, e.getMessage(), e);
      }
      throw new IOException("cannot open database " + file, e);
    }
  }

  private static void closeQuietly(Connection connection, Exception cause) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** Runs {@code work} as one transaction; rolls back if it throws. */
  <T> T transaction(Work<T> work) throws SQLException {
    lock.lock();
    try {
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(e);
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  /** {@link #transaction} for methods that report failures as {@link StorageException}. */
  <T> T call(String what, Work<T> work) {
    try {
      return transaction(work);
    } catch (SQLException e) {
      throw new StorageException(what + " failed", e);
    }
  }

  /** {@link #transaction} for methods that report failures as {@link IOException}. */
  <T> T io(String what, Work<T> work) throws IOException {
    try {
      return transaction(work);
    } catch (SQLException e) {
      throw new IOException(what + " failed", e);
    }
  }

  /** Runs a query inside a transaction already in progress and maps every row. */
  static <T> List<T> query(Connection connection, String sql, Binder binder, RowMapper<T> mapper)
      throws SQLException {
    return JdbcStatements.query(connection, sql, binder, mapper);
  }

  /** Runs an update inside a transaction already in progress; returns the affected row count. */
  static int update(Connection connection, String sql, Binder binder) throws SQLException {
    return JdbcStatements.update(connection, sql, binder);
  }

  /** The query plan SQLite chooses for {@code sql}, one line per step (for tests that forbid scans). */
  List<String> explain(String sql, Binder binder) throws SQLException {
    return transaction(c -> query(c, "EXPLAIN QUERY PLAN " + sql, binder, row -> row.getString("detail")));
  }

  private void rollbackQuietly(Exception cause) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IOException("cannot close database", e);
    } finally {
      lock.unlock();
    }
  }
}
