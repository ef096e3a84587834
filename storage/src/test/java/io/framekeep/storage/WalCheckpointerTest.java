package io.framekeep.storage;

import static io.framekeep.storage.Fixtures.CLOCK;
import static io.framekeep.storage.Fixtures.append;
import static io.framekeep.storage.Fixtures.createStream;
import static io.framekeep.storage.Fixtures.payload;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalCheckpointerTest {
  @TempDir Path dataDir;

  @Test
  void commits_neverCheckpointThemselves() throws Exception {
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK)) {
      List<Integer> autocheckpoint = storage.database().io("pragma", c -> Database.query(c,
          "PRAGMA wal_autocheckpoint", s -> { }, r -> r.getInt(1)));

      assertThat(autocheckpoint).containsExactly(0);
    }
  }

  @Test
  void checkpoint_afterCommits_movesThemIntoTheDatabaseFileAndKeepsEveryRow() throws Exception {
    StorageOptions onDemand = StorageOptions.defaults().withWalCheckpointPeriodMs(0);
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK, onDemand)) {
      Path databaseFile = dataDir.resolve(EmbeddedStorage.DATABASE_FILE);
      long streamId = createStream(storage, "s");
      long headerId = storage.fragments().putHeader(streamId, new byte[] {1, 2, 3});
      storage.checkpointer().checkpoint();
      long before = Files.size(databaseFile);
      try (FragmentAppender appender = storage.fragments().openAppender(streamId)) {
        for (int i = 0; i < 100; i++) {
          append(appender, payload(i, 100), 100, new FragmentMetadata(i * 1000L, i * 1000L, 1000,
              headerId, payload(i, 2000)));
        }
      }
      assertThat(Files.size(databaseFile)).as("commits leave their pages in the WAL")
          .isEqualTo(before);

      storage.checkpointer().checkpoint();

      assertThat(Files.size(databaseFile)).as("100 rows of 2 KB moved in").isGreaterThan(before + 150_000);
      assertThat(storage.fragments().range(streamId, TimeOrigin.SERVER, 0, Long.MAX_VALUE, null, 1000))
          .hasSize(100);
    }
  }

  @Test
  void periodicCheckpoints_afterCommits_moveThemIntoTheDatabaseFileWithinAFewPeriods() throws Exception {
    StorageOptions every100Ms = StorageOptions.defaults().withWalCheckpointPeriodMs(100);
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK, every100Ms)) {
      Path databaseFile = dataDir.resolve(EmbeddedStorage.DATABASE_FILE);
      long streamId = createStream(storage, "s");
      long headerId = storage.fragments().putHeader(streamId, new byte[] {1, 2, 3});
      Thread.sleep(300);
      long before = Files.size(databaseFile);
      try (FragmentAppender appender = storage.fragments().openAppender(streamId)) {
        for (int i = 0; i < 20; i++) {
          append(appender, payload(i, 100), 100, new FragmentMetadata(i * 1000L, i * 1000L, 1000,
              headerId, payload(i, 20_000)));
        }
      }

      long deadline = System.nanoTime() + 10_000_000_000L;
      while (Files.size(databaseFile) < before + 300_000 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(Files.size(databaseFile)).as("20 rows of 20 KB checkpointed by the thread")
          .isGreaterThan(before + 300_000);
    }
  }
}
