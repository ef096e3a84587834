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

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {

  @TempDir Path dataDir;
  private EmbeddedStorage storage;
  private FragmentLog log;
  private long streamId;
  private final List<FragmentRecord> written = new ArrayList<>();

  /** Ten 400-byte fragments at server times 0, 1000, ..., 9000 in 1000-byte segments: 3+3+3+1. */
  @BeforeEach
  void fill() throws Exception {
    storage = EmbeddedStorage.open(dataDir, CLOCK, new StorageOptions(1000));
    log = storage.fragments();
    streamId = createStream(storage, "cam");
    long headerId = log.putHeader(streamId, new byte[] {1});
    try (FragmentAppender appender = log.openAppender(streamId)) {
      for (int i = 0; i < 10; i++) {
        written.add(append(appender, payload(i, 400), 400, metadata(i * 1000L, i * 1000L, headerId)));
      }
    }
    assertThat(written).extracting(FragmentRecord::segmentId)
        .containsExactly(1L, 1L, 1L, 2L, 2L, 2L, 3L, 3L, 3L, 4L);
  }

  @AfterEach
  void close() throws Exception {
    storage.close();
  }

  @Test
  void deleteOlderThan_cutoffInsideSegment_removesFragmentsButKeepsPartlyReferencedSegment() throws Exception {
    long removed = log.deleteOlderThan(streamId, 4000);

    assertThat(removed).isEqualTo(4);
    assertThat(Files.exists(segment(dataDir, streamId, 1))).isFalse();
    assertThat(Files.exists(segment(dataDir, streamId, 2))).isTrue();
    assertThat(log.bySequence(streamId, 4)).isEmpty();
    assertThat(log.range(streamId, TimeOrigin.SERVER, Long.MIN_VALUE, Long.MAX_VALUE, null, 100))
        .containsExactlyElementsOf(written.subList(4, 10));
    assertThat(read(log, written.get(4))).isEqualTo(payload(4, 400));
  }

  @Test
  void deleteOlderThan_everything_reclaimsAllButNewestSegment() throws Exception {
    long removed = log.deleteOlderThan(streamId, Long.MAX_VALUE);

    assertThat(removed).isEqualTo(10);
    assertThat(Files.exists(segment(dataDir, streamId, 1))).isFalse();
    assertThat(Files.exists(segment(dataDir, streamId, 2))).isFalse();
    assertThat(Files.exists(segment(dataDir, streamId, 3))).isFalse();
    assertThat(Files.exists(segment(dataDir, streamId, 4))).isTrue();
    try (FragmentAppender appender = log.openAppender(streamId)) {
      FragmentRecord next = append(appender, payload(10, 10), 10, metadata(0, 0, written.get(0).headerId()));
      // The newest segment's bytes may still be read through old records: it is not overwritten.
      assertThat(next.segmentId()).isEqualTo(5);
      assertThat(next.offset()).isZero();
      assertThat(Files.size(segment(dataDir, streamId, 4))).isEqualTo(400);
      assertThat(next.sequence()).isEqualTo(11);
    }
  }

  @Test
  void deleteOlderThan_afterRollPastEmptiedSegment_reclaimsIt() throws Exception {
    log.deleteOlderThan(streamId, Long.MAX_VALUE);
    try (FragmentAppender appender = log.openAppender(streamId)) {
      append(appender, payload(10, 10), 10, metadata(0, 50_000, written.get(0).headerId()));
    }

    log.deleteOlderThan(streamId, 1);

    assertThat(Files.exists(segment(dataDir, streamId, 4))).isFalse();
    assertThat(Files.exists(segment(dataDir, streamId, 5))).isTrue();
  }

  @Test
  void deleteOlderThan_cutoffBeforeAll_removesNothing() throws Exception {
    assertThat(log.deleteOlderThan(streamId, 0)).isZero();

    assertThat(log.range(streamId, TimeOrigin.SERVER, 0, Long.MAX_VALUE, null, 100)).hasSize(10);
    assertThat(Files.exists(segment(dataDir, streamId, 1))).isTrue();
  }

  @Test
  void deleteOlderThan_withAppenderOpen_keepsActiveSegmentAndAppendingWorks() throws Exception {
    try (FragmentAppender appender = log.openAppender(streamId)) {
      log.deleteOlderThan(streamId, Long.MAX_VALUE);

      FragmentRecord next = append(appender, payload(11, 100), 30, metadata(0, 20_000, written.get(0).headerId()));

      assertThat(read(log, next)).isEqualTo(payload(11, 100));
      assertThat(next.segmentId()).isEqualTo(4);
      assertThat(next.offset()).isEqualTo(400);
    }
  }

  @Test
  void deleteStream_withFragments_removesRowsHeadersAndFiles() throws Exception {
    storage.catalog().delete(streamId);

    assertThat(Files.exists(segment(dataDir, streamId, 1).getParent())).isFalse();
    assertThat(log.bySequence(streamId, 1)).isEmpty();
    assertThat(log.range(streamId, TimeOrigin.PRODUCER, Long.MIN_VALUE, Long.MAX_VALUE, null, 100)).isEmpty();
    assertThatThrownBy(() -> log.header(written.get(0).headerId())).isInstanceOf(NoSuchFileException.class);
    assertThat(log.deleteOlderThan(streamId, Long.MAX_VALUE)).isZero();
  }
}
