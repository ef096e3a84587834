package io.framekeep.storage;

import static io.framekeep.storage.Fixtures.CLOCK;
import static io.framekeep.storage.Fixtures.append;
import static io.framekeep.storage.Fixtures.payload;
import static io.framekeep.storage.Fixtures.read;
import static io.framekeep.storage.Fixtures.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage to the index database: a torn or garbage WAL tail keeps the committed prefix (SQLite ignores frames
 * that fail their checksum); a damaged main file is refused with {@link CorruptIndexException}, and nothing in
 * the data directory is changed by the refused open.
 */
class IndexCorruptionTest {

  private static final int FRAGMENTS = 5;
  private static final int PAYLOAD_BYTES = 3000;
  /** Frame tables this size spread the rows over several database pages. */
  private static final int FRAME_TABLE_BYTES = 2000;

  @TempDir Path dataDir;
  @TempDir Path crashDir;

  private final List<FragmentRecord> written = new ArrayList<>();
  private long streamId;
  private long headerId;

  @Test
  void open_garbageAppendedToWal_keepsEveryCommittedFragment() throws Exception {
    writeAndSnapshotWhileOpen();
    Path wal = IndexIntegrity.walFile(crashDir.resolve(EmbeddedStorage.DATABASE_FILE));
    byte[] garbage = new byte[10_000];
    new Random(42).nextBytes(garbage);
    Files.write(wal, garbage, StandardOpenOption.APPEND);

    try (EmbeddedStorage storage = EmbeddedStorage.open(crashDir, CLOCK)) {
      assertThat(all(storage)).containsExactlyElementsOf(written);
      assertReadsBack(storage, written);
      try (FragmentAppender appender = storage.fragments().openAppender(streamId)) {
        assertThat(append(appender, payload(9, 100), 100, metadata(9)).sequence()).isEqualTo(FRAGMENTS + 1);
      }
    }
  }

  @Test
  void open_walTornInsideLastCommit_keepsPrefixAndTruncatesTheLostFragmentsBytes() throws Exception {
    writeAndSnapshotWhileOpen();
    Path wal = IndexIntegrity.walFile(crashDir.resolve(EmbeddedStorage.DATABASE_FILE));
    try (FileChannel channel = FileChannel.open(wal, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() - 100); // tears the last frame: the commit frame of the last fragment
    }

    List<FragmentRecord> prefix = written.subList(0, FRAGMENTS - 1);
    try (EmbeddedStorage storage = EmbeddedStorage.open(crashDir, CLOCK)) {
      assertThat(all(storage)).containsExactlyElementsOf(prefix);
      assertReadsBack(storage, prefix);
      FragmentRecord last = prefix.get(prefix.size() - 1);
      assertThat(Files.size(segment(crashDir, streamId, last.segmentId())))
          .isEqualTo(last.offset() + last.lengthBytes());
      try (FragmentAppender appender = storage.fragments().openAppender(streamId)) {
        FragmentRecord next = append(appender, payload(9, 100), 100, metadata(9));
        assertThat(next.sequence()).isEqualTo(FRAGMENTS);
        assertThat(next.offset()).isEqualTo(last.offset() + last.lengthBytes());
      }
    }
  }

  @Test
  void open_mainDatabaseGarbageHeader_refusedNamingFileAndRecovery() throws Exception {
    writeAndClose();
    Path database = dataDir.resolve(EmbeddedStorage.DATABASE_FILE);
    overwrite(database, 0, 4096);

    assertRefusedAndUntouched(database, "no SQLite header");
  }

  @Test
  void open_mainDatabaseTruncated_refused() throws Exception {
    writeAndClose();
    Path database = dataDir.resolve(EmbeddedStorage.DATABASE_FILE);
    try (FileChannel channel = FileChannel.open(database, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() / 2 + 10);
    }

    assertRefusedAndUntouched(database, "truncated");
  }

  @Test
  void open_mainDatabaseMissingButSegmentsPresent_refusedInsteadOfDeletingSegments() throws Exception {
    writeAndClose();
    Path database = dataDir.resolve(EmbeddedStorage.DATABASE_FILE);
    Files.delete(database);

    assertRefusedAndUntouched(database, "missing or empty");
  }

  @Test
  void open_afterUncleanShutdownWithDamagedPages_quickCheckRefuses() throws Exception {
    writeAndClose();
    // Reopen so that the WAL holds only the newest commits and the main file holds the older pages.
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK)) {
      try (FragmentAppender appender = storage.fragments().openAppender(streamId)) {
        written.add(append(appender, payload(7, PAYLOAD_BYTES), 1000, metadata(7)));
      }
      copyDataDir(dataDir, crashDir);
    }
    Path database = crashDir.resolve(EmbeddedStorage.DATABASE_FILE);
    overwrite(database, 4096, Files.size(database) - 4096); // every page but the first

    long segmentBytes = Files.size(segment(crashDir, streamId, written.get(0).segmentId()));
    assertThatThrownBy(() -> EmbeddedStorage.open(crashDir, CLOCK))
        .isInstanceOf(CorruptIndexException.class)
        .hasMessageContaining(database.toString())
        .hasMessageContaining("PRAGMA quick_check");
    assertThat(Files.size(segment(crashDir, streamId, written.get(0).segmentId()))).isEqualTo(segmentBytes);
  }

  private void assertRefusedAndUntouched(Path database, String finding) throws IOException {
    long segmentBytes = Files.size(segment(dataDir, streamId, written.get(0).segmentId()));
    assertThatThrownBy(() -> EmbeddedStorage.open(dataDir, CLOCK))
        .isInstanceOf(CorruptIndexException.class)
        .hasMessageContaining(database.toString())
        .hasMessageContaining(finding)
        .hasMessageContaining("sqlite3 framekeep.db .recover");
    assertThat(Files.size(segment(dataDir, streamId, written.get(0).segmentId()))).isEqualTo(segmentBytes);
    // The directory lock is released: a second attempt fails the same way, not with "in use".
    assertThatThrownBy(() -> EmbeddedStorage.open(dataDir, CLOCK)).isInstanceOf(CorruptIndexException.class);
  }

  /** Writes the fragments, then copies the directory while the storage is open, as kill -9 would leave it. */
  private void writeAndSnapshotWhileOpen() throws IOException, StreamExistsException {
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK)) {
      writeFragments(storage);
      copyDataDir(dataDir, crashDir);
    }
    assertThat(IndexIntegrity.uncleanShutdown(crashDir.resolve(EmbeddedStorage.DATABASE_FILE))).isTrue();
  }

  private void writeAndClose() throws IOException, StreamExistsException {
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK)) {
      writeFragments(storage);
    }
    assertThat(IndexIntegrity.uncleanShutdown(dataDir.resolve(EmbeddedStorage.DATABASE_FILE))).isFalse();
  }

  private void writeFragments(EmbeddedStorage storage) throws IOException, StreamExistsException {
    streamId = Fixtures.createStream(storage, "cam");
    headerId = storage.fragments().putHeader(streamId, payload(99, 64));
    try (FragmentAppender appender = storage.fragments().openAppender(streamId)) {
      for (int i = 0; i < FRAGMENTS; i++) {
        written.add(append(appender, payload(i, PAYLOAD_BYTES), 1000, metadata(i)));
      }
    }
  }

  private FragmentMetadata metadata(int i) {
    return new FragmentMetadata(1000L * i, 5000L + i, 2000, headerId, payload(100 + i, FRAME_TABLE_BYTES));
  }

  private static List<FragmentRecord> all(EmbeddedStorage storage) {
    long id = storage.catalog().byName("cam").orElseThrow().streamId();
    return storage.fragments().range(id, TimeOrigin.PRODUCER, Long.MIN_VALUE, Long.MAX_VALUE, null, 100);
  }

  private static void assertReadsBack(EmbeddedStorage storage, List<FragmentRecord> records) throws IOException {
    for (FragmentRecord r : records) {
      assertThat(read(storage.fragments(), r)).isEqualTo(payload((int) r.sequence() - 1, PAYLOAD_BYTES));
    }
  }

  private static void overwrite(Path file, long offset, long length) throws IOException {
    byte[] garbage = new byte[Math.toIntExact(length)];
    new Random(7).nextBytes(garbage);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(garbage);
      while (buffer.hasRemaining()) {
        channel.write(buffer, offset + buffer.position());
      }
      channel.force(true);
    }
  }

  /** Copies everything but the lock and the shared-memory index, which a crash leaves meaningless. */
  private static void copyDataDir(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : (Iterable<Path>) files::iterator) {
        String name = source.getFileName().toString();
        if (name.equals(EmbeddedStorage.LOCK_FILE) || name.endsWith("-shm")) {
          continue;
        }
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }
}
