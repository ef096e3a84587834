package io.framekeep.storage;

import static io.framekeep.storage.Fixtures.CLOCK;
import static io.framekeep.storage.Fixtures.append;
import static io.framekeep.storage.Fixtures.createStream;
import static io.framekeep.storage.Fixtures.metadata;
import static io.framekeep.storage.Fixtures.payload;
import static io.framekeep.storage.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FragmentAppenderTest {

  /** Tiny segments so that a handful of fragments exercise rolling. */
  private static final long SEGMENT_BYTES = 1000;

  @TempDir Path dataDir;
  private EmbeddedStorage storage;
  private FragmentLog log;
  private long streamId;
  private long headerId;

  @BeforeEach
  void open() throws Exception {
    storage = EmbeddedStorage.open(dataDir, CLOCK, new StorageOptions(SEGMENT_BYTES));
    log = storage.fragments();
    streamId = createStream(storage, "cam");
    headerId = log.putHeader(streamId, new byte[] {10, 20, 30, 40});
  }

  @AfterEach
  void close() throws Exception {
    storage.close();
  }

  @Test
  void commit_fragmentsWrittenInPieces_recordsContiguousOffsetsAndBytesReadBack() throws Exception {
    List<byte[]> payloads = List.of(payload(1, 100), payload(2, 1), payload(3, 257));
    List<FragmentRecord> records = new ArrayList<>();
    try (FragmentAppender appender = log.openAppender(streamId)) {
      int piece = 1;
      for (byte[] bytes : payloads) {
        records.add(append(appender, bytes, piece, metadata(records.size() * 2000L, 10 + records.size(), headerId)));
        piece += 16;
      }
    }

    long offset = 0;
    for (int i = 0; i < payloads.size(); i++) {
      FragmentRecord record = records.get(i);
      assertThat(record.sequence()).isEqualTo(i + 1);
      assertThat(record.segmentId()).isEqualTo(1);
      assertThat(record.offset()).isEqualTo(offset);
      assertThat(record.lengthBytes()).isEqualTo(payloads.get(i).length);
      assertThat(read(log, record)).isEqualTo(payloads.get(i));
      assertThat(log.bySequence(streamId, record.sequence())).contains(record);
      offset += record.lengthBytes();
    }
    assertThat(Files.size(Fixtures.segment(dataDir, streamId, 1))).isEqualTo(offset);
  }

  @Test
  void commit_returnsMetadataVerbatim() throws Exception {
    FragmentMetadata metadata = new FragmentMetadata(-5, 7, 1999, headerId, payload(9, 300));
    FragmentRecord record;
    try (FragmentAppender appender = log.openAppender(streamId)) {
      record = append(appender, payload(1, 10), 10, metadata);
    }

    assertThat(record.producerTimestampMs()).isEqualTo(-5);
    assertThat(record.serverTimestampMs()).isEqualTo(7);
    assertThat(record.durationMs()).isEqualTo(1999);
    assertThat(record.headerId()).isEqualTo(headerId);
    assertThat(record.frameTable()).isEqualTo(payload(9, 300));
    assertThat(log.bySequence(streamId, 1)).contains(record);
  }

  @Test
  void commit_emptyFrameTable_roundTrips() throws Exception {
    try (FragmentAppender appender = log.openAppender(streamId)) {
      append(appender, payload(1, 10), 10, new FragmentMetadata(1, 2, 3, headerId, new byte[0]));
    }

    assertThat(log.bySequence(streamId, 1)).get().extracting(FragmentRecord::frameTable).isEqualTo(new byte[0]);
  }

  @Test
  void discard_pendingBytes_truncatesAndNextFragmentTakesSameOffset() throws Exception {
    try (FragmentAppender appender = log.openAppender(streamId)) {
      FragmentRecord first = append(appender, payload(1, 50), 7, metadata(0, 0, headerId));
      appender.write(ByteBuffer.wrap(payload(2, 80)));
      assertThat(appender.pendingBytes()).isEqualTo(80);

      appender.discard();

      assertThat(appender.pendingBytes()).isZero();
      assertThat(Files.size(Fixtures.segment(dataDir, streamId, 1))).isEqualTo(50);
      FragmentRecord second = append(appender, payload(3, 30), 30, metadata(1, 1, headerId));
      assertThat(second.sequence()).isEqualTo(first.sequence() + 1);
      assertThat(second.offset()).isEqualTo(50);
      assertThat(read(log, second)).isEqualTo(payload(3, 30));
    }
  }

  @Test
  void close_withPendingBytes_discardsThemAndReleasesStream() throws Exception {
    FragmentAppender appender = log.openAppender(streamId);
    append(appender, payload(1, 40), 40, metadata(0, 0, headerId));
    appender.write(ByteBuffer.wrap(payload(2, 40)));

    appender.close();
    appender.close();

    assertThat(Files.size(Fixtures.segment(dataDir, streamId, 1))).isEqualTo(40);
    try (FragmentAppender next = log.openAppender(streamId)) {
      FragmentRecord record = append(next, payload(3, 5), 5, metadata(1, 1, headerId));
      assertThat(record.offset()).isEqualTo(40);
      assertThat(record.sequence()).isEqualTo(2);
    }
  }

  @Test
  void write_pastSegmentSize_rollsAtFragmentBoundaryToNewSegment() throws Exception {
    List<FragmentRecord> records = new ArrayList<>();
    try (FragmentAppender appender = log.openAppender(streamId)) {
      for (int i = 0; i < 7; i++) {
        records.add(append(appender, payload(i, 400), 64, metadata(i, i, headerId)));
      }
    }

    // 400-byte fragments in 1000-byte segments: a segment is full once it holds 3 (1200 bytes).
    assertThat(records).extracting(FragmentRecord::segmentId).containsExactly(1L, 1L, 1L, 2L, 2L, 2L, 3L);
    assertThat(records).extracting(FragmentRecord::offset).containsExactly(0L, 400L, 800L, 0L, 400L, 800L, 0L);
    for (int i = 0; i < records.size(); i++) {
      assertThat(read(log, records.get(i))).isEqualTo(payload(i, 400));
    }
    assertThat(Files.size(Fixtures.segment(dataDir, streamId, 3))).isEqualTo(400);
  }

  @Test
  void write_singleFragmentLargerThanSegment_staysInOneSegment() throws Exception {
    try (FragmentAppender appender = log.openAppender(streamId)) {
      FragmentRecord big = append(appender, payload(1, 3000), 1000, metadata(0, 0, headerId));
      FragmentRecord next = append(appender, payload(2, 10), 10, metadata(1, 1, headerId));

      assertThat(big.segmentId()).isEqualTo(1);
      assertThat(big.lengthBytes()).isEqualTo(3000);
      assertThat(next.segmentId()).isEqualTo(2);
      assertThat(read(log, big)).isEqualTo(payload(1, 3000));
    }
  }

  @Test
  void write_pastMaxFragmentBytes_throwsLimitWithoutWriting() throws Exception {
    try (FragmentAppender appender = log.openAppender(streamId)) {
      appender.write(ByteBuffer.wrap(payload(1, 10)));
      ByteBuffer tooMuch = ByteBuffer.allocate(Math.toIntExact(FragmentLog.MAX_FRAGMENT_BYTES - 9));

      assertThatThrownBy(() -> appender.write(tooMuch))
          .isInstanceOf(StorageLimitExceededException.class)
          .hasMessageContaining("MAX_FRAGMENT_BYTES");
      assertThat(appender.pendingBytes()).isEqualTo(10);
      assertThat(tooMuch.position()).isZero();
    }
  }

  @Test
  void commit_frameTableOverLimit_throwsLimit() throws Exception {
    try (FragmentAppender appender = log.openAppender(streamId)) {
      appender.write(ByteBuffer.wrap(payload(1, 10)));
      FragmentMetadata huge = new FragmentMetadata(0, 0, 0, headerId,
          new byte[FragmentLog.MAX_FRAME_TABLE_BYTES + 1]);

      assertThatThrownBy(() -> appender.commit(huge)).isInstanceOf(StorageLimitExceededException.class);
      assertThat(log.bySequence(streamId, 1)).isEmpty();
    }
  }

  @Test
  void commit_nothingPending_throwsIllegalState() throws Exception {
    try (FragmentAppender appender = log.openAppender(streamId)) {
      assertThatThrownBy(() -> appender.commit(metadata(0, 0, headerId))).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void commit_unknownHeader_failsLaterCommitsTooAndTheNextAppenderStartsClean() throws Exception {
    try (FragmentAppender appender = log.openAppender(streamId)) {
      appender.write(ByteBuffer.wrap(payload(1, 10)));
      assertThatThrownBy(() -> appender.commit(metadata(0, 0, 999_999))).isInstanceOf(java.io.IOException.class);

      appender.write(ByteBuffer.wrap(payload(2, 10)));
      assertThatThrownBy(() -> appender.commit(metadata(1000, 1000, headerId)))
          .as("nothing commits after a failure, so nothing commits out of order")
          .isInstanceOf(java.io.IOException.class);
    }
    assertThat(log.range(streamId, TimeOrigin.SERVER, 0, Long.MAX_VALUE, null, 10)).isEmpty();
    assertThat(Files.size(Fixtures.segment(dataDir, streamId, 1))).as("the failed fragments' bytes, at close")
        .isZero();
    try (FragmentAppender appender = log.openAppender(streamId)) {
      appender.write(ByteBuffer.wrap(payload(3, 10)));
      FragmentRecord record = appender.commit(metadata(0, 0, headerId));
      assertThat(record.sequence()).isEqualTo(1);
      assertThat(record.offset()).as("the failed fragments' bytes were truncated").isZero();
    }
  }

  @Test
  void commitAsync_severalBeforeAnyIsDurable_sequencesAndOffsetsInOrder() throws Exception {
    List<java.util.concurrent.CompletableFuture<FragmentRecord>> sealed = new ArrayList<>();
    try (FragmentAppender appender = log.openAppender(streamId)) {
      for (int i = 0; i < 20; i++) {
        assertThat(appender.nextSequence()).isEqualTo(i + 1);
        appender.write(ByteBuffer.wrap(payload(i, 100 + i)));
        sealed.add(appender.commitAsync(metadata(i * 1000L, i * 1000L, headerId)));
      }
    }
    long offset = 0;
    long segment = -1;
    for (int i = 0; i < 20; i++) {
      FragmentRecord r = sealed.get(i).get();
      assertThat(r.sequence()).isEqualTo(i + 1);
      if (r.segmentId() != segment) { // rolled (the test segments are small): a new file starts at 0
        segment = r.segmentId();
        offset = 0;
      }
      assertThat(r.offset()).isEqualTo(offset);
      assertThat(r.lengthBytes()).isEqualTo(100 + i);
      assertThat(read(log, r)).isEqualTo(payload(i, 100 + i));
      offset += r.lengthBytes();
    }
    assertThat(log.range(streamId, TimeOrigin.SERVER, 0, Long.MAX_VALUE, null, 100)).hasSize(20);
  }

  @Test
  void openAppender_secondWhileFirstOpen_throwsStreamBusy() throws Exception {
    FragmentAppender first = log.openAppender(streamId);
    assertThatThrownBy(() -> log.openAppender(streamId)).isInstanceOf(StreamBusyException.class);
    first.close();

    log.openAppender(streamId).close();
  }

  @Test
  void openAppender_unknownOrDeletedStream_throwsNoSuchFile() throws Exception {
    assertThatThrownBy(() -> log.openAppender(4242)).isInstanceOf(NoSuchFileException.class);
    storage.catalog().delete(streamId);
    assertThatThrownBy(() -> log.openAppender(streamId)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void commit_streamDeletedWhileOpen_throwsNoSuchFile() throws Exception {
    try (FragmentAppender appender = log.openAppender(streamId)) {
      appender.write(ByteBuffer.wrap(payload(1, 10)));
      storage.catalog().delete(streamId);

      assertThatThrownBy(() -> appender.commit(metadata(0, 0, headerId))).isInstanceOf(NoSuchFileException.class);
    }
    assertThat(Files.exists(dataDir.resolve("streams").resolve(Long.toString(streamId)))).isFalse();
  }

  @Test
  void sequence_afterDeletingAllFragments_continuesWithoutReuse() throws Exception {
    try (FragmentAppender appender = log.openAppender(streamId)) {
      append(appender, payload(1, 10), 10, metadata(0, 100, headerId));
      append(appender, payload(2, 10), 10, metadata(1, 101, headerId));
      assertThat(log.deleteOlderThan(streamId, Long.MAX_VALUE)).isEqualTo(2);

      FragmentRecord third = append(appender, payload(3, 10), 10, metadata(2, 102, headerId));

      assertThat(third.sequence()).isEqualTo(3);
    }
  }

  @Test
  void putHeader_sameBytesTwice_returnsSameIdAndOtherStreamGetsOwn() throws Exception {
    byte[] header = payload(5, 200);
    long other = createStream(storage, "other");

    long first = log.putHeader(streamId, header);
    long again = log.putHeader(streamId, header.clone());
    long different = log.putHeader(streamId, payload(6, 200));
    long otherStream = log.putHeader(other, header);

    assertThat(again).isEqualTo(first);
    assertThat(different).isNotEqualTo(first);
    assertThat(otherStream).isNotEqualTo(first);
    assertThat(log.header(first)).isEqualTo(header);
    assertThat(log.header(different)).isEqualTo(payload(6, 200));
  }

  @Test
  void header_unknownId_throwsNoSuchFile() {
    assertThatThrownBy(() -> log.header(987_654)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void putHeader_overLimitOrUnknownStream_throws() {
    assertThatThrownBy(() -> log.putHeader(streamId, new byte[FragmentLog.MAX_HEADER_BYTES + 1]))
        .isInstanceOf(StorageLimitExceededException.class);
    assertThatThrownBy(() -> log.putHeader(4242, new byte[1])).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void appenders_ofDifferentStreamsConcurrently_commitDenseSequencesAndIntactBytes() throws Exception {
    int streams = 4;
    int fragmentsPerStream = 25;
    List<Long> ids = new ArrayList<>();
    List<Long> headers = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      long id = createStream(storage, "concurrent-" + s);
      ids.add(id);
      headers.add(log.putHeader(id, new byte[] {(byte) s}));
    }
    ExecutorService pool = Executors.newFixedThreadPool(streams);
    try {
      List<Future<List<FragmentRecord>>> results = new ArrayList<>();
      for (int s = 0; s < streams; s++) {
        int stream = s;
        results.add(pool.submit(() -> {
          List<FragmentRecord> records = new ArrayList<>();
          try (FragmentAppender appender = log.openAppender(ids.get(stream))) {
            for (int f = 0; f < fragmentsPerStream; f++) {
              records.add(append(appender, payload(stream * 1000 + f, 150 + f), 13,
                  metadata(f, f, headers.get(stream))));
            }
          }
          return records;
        }));
      }
      for (int s = 0; s < streams; s++) {
        List<FragmentRecord> records = results.get(s).get();
        for (int f = 0; f < fragmentsPerStream; f++) {
          assertThat(records.get(f).sequence()).isEqualTo(f + 1);
          assertThat(read(log, records.get(f))).isEqualTo(payload(s * 1000 + f, 150 + f));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
