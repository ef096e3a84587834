package io.framekeep.server.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.storage.EmbeddedStorage;
import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentMetadata;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.StreamRecord;
import io.framekeep.storage.TimeOrigin;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipSelectionTest {
  @TempDir Path dir;
  private EmbeddedStorage storage;
  private long streamId;

  @BeforeEach
  void open() throws Exception {
    storage = EmbeddedStorage.open(dir, Clock.systemUTC());
    streamId = storage.catalog().create(new StreamRecord(0, "s", "arn:aws:kinesisvideo:us-east-1:0:stream/s/1",
        null, null, null, "v1", "ACTIVE", 1, 24, "HOT"), Map.of()).streamId();
  }

  @AfterEach
  void close() throws Exception {
    storage.close();
  }

  /** Appends fragments with these producer timestamps (ms), each {@code bytes} long, 1 s apart in server time. */
  private void ingest(int bytes, long... producerMs) throws Exception {
    try (FragmentAppender a = storage.fragments().openAppender(streamId)) {
      long header = storage.fragments().putHeader(streamId, new byte[] {1});
      for (long p : producerMs) {
        a.write(ByteBuffer.allocate(bytes));
        a.commit(new FragmentMetadata(p, 10_000 + p, 1000, header, new byte[] {1}));
      }
    }
  }

  private List<Long> sequences(List<FragmentRecord> records) {
    return records.stream().map(FragmentRecord::sequence).toList();
  }

  @Test
  void select_rangeBounds_startInclusiveOnFragmentStartEndInclusive() throws Exception {
    ingest(10, 0, 2000, 4000, 6000);
    List<FragmentRecord> chosen = ClipSelection.select(storage.fragments(), streamId,
        TimeOrigin.PRODUCER, 1000, 4000, 200, Long.MAX_VALUE);
    assertThat(sequences(chosen)).containsExactly(2L, 3L);
  }

  @Test
  void select_duplicateProducerStarts_keepsEarliestIngested() throws Exception {
    ingest(10, 0, 1000, 2000);
    ingest(10, 1000, 2000, 3000); // a back-filled re-upload of the same range
    List<FragmentRecord> chosen = ClipSelection.select(storage.fragments(), streamId,
        TimeOrigin.PRODUCER, 0, 10_000, 200, Long.MAX_VALUE);
    assertThat(sequences(chosen)).containsExactly(1L, 2L, 3L, 6L);
  }

  @Test
  void select_moreThanMaxFragments_cutsAfterMax() throws Exception {
    long[] times = new long[300];
    for (int i = 0; i < times.length; i++) {
      times[i] = i * 1000L;
    }
    ingest(1, times);
    List<FragmentRecord> chosen = ClipSelection.select(storage.fragments(), streamId,
        TimeOrigin.PRODUCER, 0, 1_000_000, 200, Long.MAX_VALUE);
    assertThat(chosen).hasSize(200);
    assertThat(chosen.get(199).sequence()).isEqualTo(200);
  }

  @Test
  void select_bytesCap_stopsBeforePassingIt() throws Exception {
    ingest(100, 0, 1000, 2000, 3000);
    List<FragmentRecord> chosen = ClipSelection.select(storage.fragments(), streamId,
        TimeOrigin.SERVER, 0, 1_000_000, 200, 250);
    assertThat(sequences(chosen)).containsExactly(1L, 2L);
  }
}
