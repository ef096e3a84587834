package io.framekeep.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that the index database can be trusted before the storage opens it, so that a damaged index is
 * refused with a {@link CorruptIndexException} instead of being served or used by {@link Recovery} (which
 * would delete segment data the damaged index no longer names).
 *
 * <ul>
 *   <li>Always, in constant time: a missing or empty database next to a non-empty {@code streams/} directory;
 *       a file shorter than the SQLite header; no SQLite header; after a clean shutdown (no WAL), a file
 *       shorter than the page count its header records (a truncated file).
 *   <li>After an unclean shutdown (the WAL file holds frames): {@code PRAGMA quick_check}, which walks every
 *       b-tree page. It reads the whole file: about 0.7 s for 1,000,000 fragments (a 1.4 GB database) with a
 *       warm page cache on the benchmark machine (BENCHMARKS.md), as long as reading the file from a cold disk,
 *       which is why it is not run after a clean shutdown, where SQLite's own commit protocol leaves nothing
 *       half-written.
 *   <li>Any SQLite {@code SQLITE_CORRUPT} or {@code SQLITE_NOTADB} while opening or recovering.
 * </ul>
 *
 * A torn or garbage WAL tail is not damage: SQLite ignores WAL frames whose checksum or salt does not match, so
 * the transactions committed before the tear survive and later ones are lost as a crash would lose them.
 */
final class IndexIntegrity {

  /** The SQLite file header: 100 bytes, starting with this 16-byte magic string. */
  private static final int HEADER_BYTES = 100;
  private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
  /** Header offsets (sqlite.org/fileformat.html section 1.3). */
  private static final int OFFSET_PAGE_SIZE = 16;
  private static final int OFFSET_CHANGE_COUNTER = 24;
  private static final int OFFSET_PAGE_COUNT = 28;
  private static final int OFFSET_VERSION_VALID_FOR = 92;
  /** Primary result codes (sqlite.org/rescode.html); extended codes keep them in the low byte. */
  private static final int SQLITE_CORRUPT = 11;
  private static final int SQLITE_NOTADB = 26;
  /** quick_check reports at most this many problems; the first few are enough for the message. */
  private static final int MAX_REPORTED_PROBLEMS = 5;

  private IndexIntegrity() {}

  /** The write-ahead log beside {@code database}. */
  static Path walFile(Path database) {
    return database.resolveSibling(database.getFileName() + "-wal");
  }

  /** True when the WAL holds frames: the last process to use the database did not close it. */
  static boolean uncleanShutdown(Path database) throws IOException {
    Path wal = walFile(database);
    return Files.exists(wal) && Files.size(wal) > 0;
  }

  /** The constant-time checks, before SQLite touches the file. */
  static void checkBeforeOpen(Path database, Path streamsDir) throws IOException {
    long size = Files.exists(database) ? Files.size(database) : 0;
    if (size == 0) {
      if (!uncleanShutdown(database) && holdsEntries(streamsDir)) {
        throw new CorruptIndexException(database, "missing or empty, but " + streamsDir + " holds segment data",
            null);
      }
      return;
    }
    if (size < HEADER_BYTES) {
      throw new CorruptIndexException(database, "only " + size + " bytes, shorter than the SQLite header", null);
    }
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    try (FileChannel channel = FileChannel.open(database, StandardOpenOption.READ)) {
      while (header.hasRemaining()) {
        if (channel.read(header, header.position()) < 0) {
          throw new CorruptIndexException(database, "shrank while its header was read", null);
        }
      }
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (header.get(i) != MAGIC[i]) {
        throw new CorruptIndexException(database, "no SQLite header", null);
      }
    }
    if (uncleanShutdown(database)) {
      // Pages may legitimately live only in the WAL (a crash during a checkpoint); quick_check decides.
      return;
    }
    int rawPageSize = header.getShort(OFFSET_PAGE_SIZE) & 0xFFFF;
    long pageSizeBytes = rawPageSize == 1 ? 65_536 : rawPageSize;
    long pageCount = header.getInt(OFFSET_PAGE_COUNT) & 0xFFFFFFFFL;
    boolean pageCountValid =
        pageCount > 0 && header.getInt(OFFSET_CHANGE_COUNTER) == header.getInt(OFFSET_VERSION_VALID_FOR);
    if (pageCountValid && pageCount * pageSizeBytes > size) {
      throw new CorruptIndexException(database, "truncated: " + size + " bytes, but its header records "
          + pageCount + " pages of " + pageSizeBytes + " bytes", null);
    }
  }

  /** {@code PRAGMA quick_check} on an open connection; refuses the database unless it answers "ok". */
  static void quickCheck(Connection connection, Path database) throws SQLException, CorruptIndexException {
    List<String> problems = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("PRAGMA quick_check(" + MAX_REPORTED_PROBLEMS + ")")) {
      while (rows.next()) {
        problems.add(rows.getString(1).replace('\n', ' '));
      }
    }
    if (!problems.equals(List.of("ok"))) {
      throw new CorruptIndexException(database, "PRAGMA quick_check: " + String.join("; ", problems), null);
    }
  }

  /** Whether {@code e} or one of its causes is SQLite reporting a damaged or foreign file. */
  static boolean isCorruption(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        int primary = sql.getErrorCode() & 0xFF;
        if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean holdsEntries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      return entries.iterator().hasNext();
    }
  }
}
