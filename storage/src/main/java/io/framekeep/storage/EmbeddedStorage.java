package io.framekeep.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * The embedded {@link Storage} backend (the default, {@code --storage embedded}): a stream catalogue and a
 * fragment log in one data directory.
 *
 * <pre>
 * dataDir/framekeep.db (+ -wal, -shm)          SQLite catalogue and fragment index, schema in {@link Database}
 * dataDir/framekeep.lock                       held (OS file lock) while open: one process per directory
 * dataDir/streams/&lt;streamId&gt;/&lt;segmentId&gt;.seg  fragment payloads, format in {@link SegmentStore}
 * </pre>
 *
 * <p>Durability: a fragment is acknowledged only after its payload is fsync'd and then its index row is
 * committed with {@code synchronous=FULL}, in one transaction with the rows of other streams waiting at the same
 * moment ({@link GroupCommitter}). At open, {@link Recovery} truncates what a crash left uncommitted.
 *
 * <p>Damage: garbage or truncation at the tail of a segment or of the WAL loses only what follows the last
 * intact commit. A damaged {@code framekeep.db} is refused at open with a {@link CorruptIndexException} (the
 * message names the file and the recovery procedure, also in {@link Database}); it is never served.
 *
 * <p>Thread safety: {@link #catalog()} and {@link #fragments()} may be used from any number of threads.
 * {@link #close()} must be called after all appenders are closed and no other call is in flight.
 */
public final class EmbeddedStorage implements Storage {

  static final String DATABASE_FILE = "framekeep.db";
  static final String LOCK_FILE = "framekeep.lock";
  static final String STREAMS_DIR = "streams";

  private final Database database;
  private final GroupCommitter committer;
  private final WalCheckpointer checkpointer;
  private final FileChannel lockChannel;
  private final SqliteStreamCatalog catalog;
  private final SqliteFragmentLog fragments;
  private final Recovery.Report recoveryReport;

  private EmbeddedStorage(Database database, WalCheckpointer checkpointer, FileChannel lockChannel,
      SegmentStore segments, StorageOptions options, Clock clock, Recovery.Report recoveryReport) {
    this.database = database;
    this.checkpointer = checkpointer;
    this.lockChannel = lockChannel;
    this.committer = new GroupCommitter(database).start();
    this.catalog = new SqliteStreamCatalog(database, segments);
    this.fragments = new SqliteFragmentLog(database, segments, committer, options, clock);
    this.recoveryReport = recoveryReport;
  }

  /**
   * Opens (creating if needed) the data directory: SQLite catalogue+index at dataDir/framekeep.db (WAL,
   * synchronous=FULL), segments under dataDir/streams/&lt;streamId&gt;/&lt;segmentId&gt;.seg. Runs recovery
   * before returning.
   */
  public static EmbeddedStorage open(Path dataDir, Clock clock) throws IOException {
    return open(dataDir, clock, StorageOptions.defaults());
  }

  /**
   * {@link #open(Path, Clock)} with explicit options.
   *
   * @throws IOException also if another process or another open instance holds the directory
   * @throws CorruptIndexException if the index database is damaged (see {@link Database}); nothing is changed
   */
  public static EmbeddedStorage open(Path dataDir, Clock clock, StorageOptions options) throws IOException {
    Path streamsDir = dataDir.resolve(STREAMS_DIR);
    OwnerOnlyFiles.createDirectories(dataDir);
    OwnerOnlyFiles.tightenDirectory(dataDir);
    OwnerOnlyFiles.createDirectories(streamsDir);
    Path lockFile = dataDir.resolve(LOCK_FILE);
    FileChannel lockChannel = FileChannel.open(lockFile, java.util.Set.of(
        StandardOpenOption.CREATE, StandardOpenOption.WRITE),
        OwnerOnlyFiles.fileAttributes(lockFile));
    Database database = null;
    try {
      FileLock lock;
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        throw new IOException("data directory " + dataDir + " is already in use");
      }
      Path databaseFile = dataDir.resolve(DATABASE_FILE);
      IndexIntegrity.checkBeforeOpen(databaseFile, streamsDir);
      database = Database.open(databaseFile);
      SegmentStore segments = new SegmentStore(streamsDir);
      Recovery.Report report;
      try {
        report = Recovery.run(database, segments);
      } catch (IOException | StorageException e) {
        if (IndexIntegrity.isCorruption(e)) {
          throw new CorruptIndexException(databaseFile, "SQLite reports damage during recovery", e);
        }
        throw e;
      }
      WalCheckpointer checkpointer;
      try {
        checkpointer = WalCheckpointer.start(databaseFile, options.walCheckpointPeriodMs());
      } catch (java.sql.SQLException e) {
        throw new IOException("cannot open a checkpoint connection to " + databaseFile, e);
      }
      return new EmbeddedStorage(database, checkpointer, lockChannel, segments, options, clock, report);
    } catch (IOException | RuntimeException e) {
      if (database != null) {
        try {
          database.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      lockChannel.close();
      throw e;
    }
  }

  @Override
  public StreamCatalog catalog() {
    return catalog;
  }

  @Override
  public FragmentLog fragments() {
    return fragments;
  }

  @Override
  public FragmentCoverage coverage() {
    return new SqliteFragmentCoverage(database);
  }

  /** What recovery changed when this instance was opened. */
  Recovery.Report recoveryReport() {
    return recoveryReport;
  }

  Database database() {
    return database;
  }

  WalCheckpointer checkpointer() {
    return checkpointer;
  }

  GroupCommitter committer() {
    return committer;
  }

  /** Commits index rows already submitted, closes the database and releases the directory lock. */
  @Override
  public void close() throws IOException {
    try {
      committer.close();
    } finally {
      try {
        checkpointer.close();
      } catch (java.sql.SQLException e) {
        throw new IOException("closing the checkpoint connection failed", e);
      } finally {
        try {
          database.close(); // the last connection to close checkpoints the whole WAL
        } finally {
          lockChannel.close();
        }
      }
    }
  }
}
