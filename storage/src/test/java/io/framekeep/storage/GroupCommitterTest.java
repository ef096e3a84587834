package io.framekeep.storage;

import static io.framekeep.storage.Fixtures.CLOCK;
import static io.framekeep.storage.Fixtures.append;
import static io.framekeep.storage.Fixtures.createStream;
import static io.framekeep.storage.Fixtures.metadata;
import static io.framekeep.storage.Fixtures.payload;
import static io.framekeep.storage.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitterTest {

  @TempDir Path dataDir;

  @Test
  void rowsWaitingTogether_areCommittedInOneTransaction_withPerStreamSequences() throws Exception {
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK)) {
      long a = createStream(storage, "a");
      long b = createStream(storage, "b");
      long header = storage.fragments().putHeader(a, new byte[] {1});
      GroupCommitter committer = new GroupCommitter(storage.database());
      List<CompletableFuture<Long>> sequences = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        sequences.add(committer.submit(i % 2 == 0 ? a : b, metadata(i, i, header), 1, i * 10L, 10));
      }

      committer.start();

      assertThat(sequences.stream().map(CompletableFuture::join))
          .containsExactly(1L, 1L, 2L, 2L, 3L, 3L, 4L, 4L, 5L, 5L);
      assertThat(committer.batches()).isEqualTo(1);
      assertThat(committer.rows()).isEqualTo(10);
      committer.close();
    }
  }

  @Test
  void rowOfDeletedStream_failsAlone_othersInTheBatchCommit() throws Exception {
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK)) {
      long live = createStream(storage, "live");
      long gone = createStream(storage, "gone");
      long header = storage.fragments().putHeader(live, new byte[] {1});
      storage.catalog().delete(gone);
      GroupCommitter committer = new GroupCommitter(storage.database());
      CompletableFuture<Long> first = committer.submit(live, metadata(1, 1, header), 1, 0, 10);
      CompletableFuture<Long> deleted = committer.submit(gone, metadata(1, 1, header), 1, 0, 10);
      // A header id that does not exist violates the foreign key: the batch fails and is retried row by row.
      CompletableFuture<Long> bad = committer.submit(live, metadata(2, 2, 999_999), 1, 10, 10);
      CompletableFuture<Long> last = committer.submit(live, metadata(3, 3, header), 1, 20, 10);

      committer.start();

      assertThat(first.join()).isEqualTo(1);
      assertThat(deleted.join()).isNull();
      assertThatThrownBy(bad::join).hasCauseInstanceOf(IOException.class);
      assertThat(last.join()).isEqualTo(2);
      committer.close();
    }
  }

  @Test
  void submitAfterClose_fails() throws Exception {
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK)) {
      GroupCommitter committer = new GroupCommitter(storage.database()).start();
      committer.close();

      assertThatThrownBy(() -> committer.submit(1, metadata(1, 1, 1), 1, 0, 1))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void concurrentAppendersOfManyStreams_allCommitDurablyInOrder() throws Exception {
    int streams = 16;
    int perStream = 25;
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK)) {
      ExecutorService pool = Executors.newFixedThreadPool(streams);
      List<Future<List<FragmentRecord>>> results = new ArrayList<>();
      for (int s = 0; s < streams; s++) {
        long streamId = createStream(storage, "s" + s);
        long header = storage.fragments().putHeader(streamId, new byte[] {1});
        int seed = s;
        results.add(pool.submit(() -> {
          List<FragmentRecord> out = new ArrayList<>();
          try (FragmentAppender appender = storage.fragments().openAppender(streamId)) {
            for (int i = 0; i < perStream; i++) {
              out.add(append(appender, payload(seed * 1000 + i, 300), 100, metadata(i, i, header)));
            }
          }
          return out;
        }));
      }
      for (int s = 0; s < streams; s++) {
        List<FragmentRecord> written = results.get(s).get();
        for (int i = 0; i < perStream; i++) {
          FragmentRecord r = written.get(i);
          assertThat(r.sequence()).isEqualTo(i + 1);
          assertThat(storage.fragments().bySequence(r.streamId(), r.sequence())).contains(r);
          assertThat(read(storage.fragments(), r)).isEqualTo(payload(s * 1000 + i, 300));
        }
      }
      pool.shutdown();
      assertThat(storage.committer().rows()).as("fragment rows and one header row per stream")
          .isEqualTo((long) streams * perStream + streams);
      assertThat(storage.committer().batches()).isBetween(1L, (long) streams * perStream);
    }
  }

  @Test
  void putHeader_manyStreamsAtOnce_eachStoredOnceAndFoundAgain() throws Exception {
    int streams = 32;
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, CLOCK)) {
      ExecutorService pool = Executors.newFixedThreadPool(streams);
      List<Long> streamIds = new ArrayList<>();
      List<Future<Long>> ids = new ArrayList<>();
      for (int s = 0; s < streams; s++) {
        long streamId = createStream(storage, "h" + s);
        streamIds.add(streamId);
        byte[] header = payload(s, 500);
        ids.add(pool.submit(() -> storage.fragments().putHeader(streamId, header)));
      }
      List<Long> stored = new ArrayList<>();
      for (Future<Long> id : ids) {
        stored.add(id.get());
      }
      pool.shutdown();

      assertThat(stored).doesNotHaveDuplicates();
      for (int s = 0; s < streams; s++) {
        assertThat(storage.fragments().header(stored.get(s))).isEqualTo(payload(s, 500));
        assertThat(storage.fragments().putHeader(streamIds.get(s), payload(s, 500)))
            .as("the same header again").isEqualTo(stored.get(s));
      }
    }
  }
}
