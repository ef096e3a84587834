package io.framekeep.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The index database ({@code framekeep.db}) is damaged, so the storage refuses to open rather than serve a
 * wrong index or let recovery delete segment files the damaged index no longer names. The message names the
 * file, what was found, and the recovery procedure, which is also given in the Javadoc of {@link Database}.
 */
public final class CorruptIndexException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The recovery procedure, as printed in the message. */
  static final String RECOVERY = "To recover: stop the server, copy the data directory aside, then run"
      + " `sqlite3 framekeep.db .recover > dump.sql && sqlite3 recovered.db < dump.sql`, check"
      + " `sqlite3 recovered.db 'PRAGMA integrity_check'` prints ok, and replace framekeep.db by recovered.db"
      + " (removing framekeep.db-wal and framekeep.db-shm); recovery at the next start then truncates segment"
      + " bytes the recovered index does not name. Or restore framekeep.db from a backup.";

  private final Path file;

  CorruptIndexException(Path file, String finding, Throwable cause) {
    super("index database " + file + " is damaged (" + finding + "); refusing to open it. " + RECOVERY, cause);
    this.file = file;
  }

  /** The damaged database file. */
  public Path file() {
    return file;
  }
}
