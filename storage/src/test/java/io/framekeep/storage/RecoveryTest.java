package io.framekeep.storage;

import static io.framekeep.storage.Fixtures.CLOCK;
import static io.framekeep.storage.Fixtures.append;
import static io.framekeep.storage.Fixtures.createStream;
import static io.framekeep.storage.Fixtures.metadata;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {

  private static final StorageOptions TINY = new StorageOptions(1000);

  @TempDir Path dataDir;

  @Test
  void reopen_afterCleanClose_everythingIdentical() throws Exception {
    List<FragmentRecord> written = new ArrayList<>();
    StreamRecord stream;
    long headerId;
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK, TINY)) {
      stream = storage.catalog().create(Fixtures.stream("cam"), Map.of("site", "north"));
      headerId = storage.fragments().putHeader(stream.streamId(), payload(7, 64));
      try (FragmentAppender appender = storage.fragments().openAppender(stream.streamId())) {
        for (int i = 0; i < 8; i++) {
          written.add(append(appender, payload(i, 300), 100, metadata(i * 2000L, 5000L + i, headerId)));
        }
      }
    }

    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK, TINY)) {
      FragmentLog log = storage.fragments();
      assertThat(storage.recoveryReport()).isEqualTo(new Recovery.Report(0, 0, 0, 0, 0));
      assertThat(storage.catalog().byName("cam")).contains(stream);
      assertThat(storage.catalog().tags(stream.streamId())).containsExactly(Map.entry("site", "north"));
      assertThat(log.header(headerId)).isEqualTo(payload(7, 64));
      assertThat(log.range(stream.streamId(), TimeOrigin.PRODUCER, Long.MIN_VALUE, Long.MAX_VALUE, null, 100))
          .containsExactlyElementsOf(written);
      for (int i = 0; i < written.size(); i++) {
        assertThat(read(log, written.get(i))).isEqualTo(payload(i, 300));
      }
      try (FragmentAppender appender = log.openAppender(stream.streamId())) {
        FragmentRecord next = append(appender, payload(99, 10), 10, metadata(99, 99, headerId));
        assertThat(next.sequence()).isEqualTo(written.size() + 1);
      }
    }
  }

  @Test
  void reopen_afterCrashWithPendingBytes_truncatesToCommittedEndAndAppendsThere() throws Exception {
    long streamId;
    long headerId;
    FragmentRecord committed;
    EmbeddedStorage crashed = EmbeddedStorage.open(dataDir, CLOCK);
    streamId = createStream(crashed, "cam");
    headerId = crashed.fragments().putHeader(streamId, new byte[] {1});
    FragmentAppender appender = crashed.fragments().openAppender(streamId);
    committed = append(appender, payload(1, 120), 50, metadata(0, 0, headerId));
    appender.write(ByteBuffer.wrap(payload(2, 77)));
    // Simulated crash: the process dies without closing the appender, so the pending bytes stay on disk.
    crashed.close();
    Path file = segment(dataDir, streamId, 1);
    assertThat(Files.size(file)).isEqualTo(197);

    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK)) {
      assertThat(storage.recoveryReport().segmentsTruncated()).isEqualTo(1);
      assertThat(storage.recoveryReport().bytesTruncated()).isEqualTo(77);
      assertThat(Files.size(file)).isEqualTo(120);
      try (FragmentAppender next = storage.fragments().openAppender(streamId)) {
        FragmentRecord second = append(next, payload(3, 30), 7, metadata(1, 1, headerId));
        assertThat(second.offset()).isEqualTo(120);
        assertThat(second.sequence()).isEqualTo(2);
        assertThat(read(storage.fragments(), second)).isEqualTo(payload(3, 30));
      }
      assertThat(read(storage.fragments(), committed)).isEqualTo(payload(1, 120));
    } finally {
      appender.close();
    }
  }

  @Test
  void reopen_garbageAppendedToOlderAndNewestSegments_truncatesBoth() throws Exception {
    long streamId;
    List<FragmentRecord> written = new ArrayList<>();
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK, TINY)) {
      streamId = createStream(storage, "cam");
      long headerId = storage.fragments().putHeader(streamId, new byte[] {1});
      try (FragmentAppender appender = storage.fragments().openAppender(streamId)) {
        for (int i = 0; i < 4; i++) {
          written.add(append(appender, payload(i, 600), 600, metadata(i, i, headerId)));
        }
      }
    }
    // 600-byte fragments, 1000-byte segments: segments 1 and 2 hold two fragments each.
    appendGarbage(segment(dataDir, streamId, 1), 33);
    appendGarbage(segment(dataDir, streamId, 2), 4096);

    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK, TINY)) {
      assertThat(storage.recoveryReport().segmentsTruncated()).isEqualTo(2);
      assertThat(Files.size(segment(dataDir, streamId, 1))).isEqualTo(1200);
      assertThat(Files.size(segment(dataDir, streamId, 2))).isEqualTo(1200);
      for (int i = 0; i < written.size(); i++) {
        assertThat(read(storage.fragments(), written.get(i))).isEqualTo(payload(i, 600));
      }
    }
  }

  @Test
  void reopen_uncommittedSegmentFiles_deletesOlderAndEmptiesNewest() throws Exception {
    long streamId;
    FragmentRecord committed;
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK, TINY)) {
      streamId = createStream(storage, "cam");
      long headerId = storage.fragments().putHeader(streamId, new byte[] {1});
      try (FragmentAppender appender = storage.fragments().openAppender(streamId)) {
        committed = append(appender, payload(1, 100), 100, metadata(0, 0, headerId));
      }
    }
    // Torn state: an orphan segment 2 with no committed fragment, then a newest segment 3 never committed.
    Files.write(segment(dataDir, streamId, 2), payload(2, 500));
    Files.write(segment(dataDir, streamId, 3), payload(3, 50));

    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK, TINY)) {
      assertThat(storage.recoveryReport().segmentsDeleted()).isEqualTo(1);
      assertThat(Files.exists(segment(dataDir, streamId, 2))).isFalse();
      assertThat(Files.size(segment(dataDir, streamId, 3))).isZero();
      assertThat(read(storage.fragments(), committed)).isEqualTo(payload(1, 100));
      try (FragmentAppender appender = storage.fragments().openAppender(streamId)) {
        FragmentRecord next = append(appender, payload(4, 10), 10, metadata(1, 1, committed.headerId()));
        assertThat(next.segmentId()).isEqualTo(3);
        assertThat(next.offset()).isZero();
        assertThat(next.sequence()).isEqualTo(2);
      }
    }
  }

  @Test
  void reopen_truncatedTailBelowCommittedEnd_reportsShortAndStartsNewSegment() throws Exception {
    long streamId;
    long headerId;
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK)) {
      streamId = createStream(storage, "cam");
      headerId = storage.fragments().putHeader(streamId, new byte[] {1});
      try (FragmentAppender appender = storage.fragments().openAppender(streamId)) {
        append(appender, payload(1, 100), 100, metadata(0, 0, headerId));
      }
    }
    try (FileChannel channel = FileChannel.open(segment(dataDir, streamId, 1), StandardOpenOption.WRITE)) {
      channel.truncate(60);
    }

    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK)) {
      assertThat(storage.recoveryReport().segmentsShort()).isEqualTo(1);
      assertThat(Files.size(segment(dataDir, streamId, 1))).isEqualTo(60);
      try (FragmentAppender appender = storage.fragments().openAppender(streamId)) {
        FragmentRecord next = append(appender, payload(2, 10), 10, metadata(1, 1, headerId));
        assertThat(next.segmentId()).isEqualTo(2);
        assertThat(next.offset()).isZero();
      }
    }
  }

  @Test
  void reopen_directoryOfDeletedStreamLeftBehind_removesIt() throws Exception {
    long streamId;
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK)) {
      streamId = createStream(storage, "cam");
      storage.catalog().delete(streamId);
    }
    // A crash between the catalogue commit and the file removal leaves the directory behind.
    Files.createDirectories(segment(dataDir, streamId, 1).getParent());
    Files.write(segment(dataDir, streamId, 1), payload(1, 10));
    Files.createDirectories(segment(dataDir, 777, 1).getParent());

    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK)) {
      assertThat(storage.recoveryReport().streamDirsDeleted()).isEqualTo(2);
      assertThat(Files.exists(segment(dataDir, streamId, 1).getParent())).isFalse();
      assertThat(Files.exists(segment(dataDir, 777, 1).getParent())).isFalse();
    }
  }

  @Test
  void open_directoryAlreadyOpen_throws() throws Exception {
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK)) {
      createStream(storage, "cam");
      assertThatThrownBy(() -> EmbeddedStorage.open(dataDir, CLOCK))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("already in use");
    }
    try (EmbeddedStorage reopened = EmbeddedStorage.open(dataDir, CLOCK)) {
      assertThat(reopened.catalog().count()).isEqualTo(1);
    }
  }

  @Test
  void open_newDirectory_usesWalAndFullSync() throws Exception {
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir.resolve("nested/data"), CLOCK)) {
      List<String> settings = storage.database().transaction(c -> List.of(
          Database.query(c, "PRAGMA journal_mode", s -> { }, row -> row.getString(1)).get(0),
          Database.query(c, "PRAGMA synchronous", s -> { }, row -> row.getString(1)).get(0)));

      assertThat(settings).containsExactly("wal", "2");
      assertThat(dataDir.resolve("nested/data/framekeep.db")).exists();
      assertThat(dataDir.resolve("nested/data/streams")).isDirectory();
    }
  }

  private static void appendGarbage(Path file, int bytes) throws IOException {
    Files.write(file, payload(42, bytes), StandardOpenOption.APPEND);
  }
}
