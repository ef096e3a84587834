package io.framekeep.storage;

import static io.framekeep.storage.Fixtures.CLOCK;
import static io.framekeep.storage.Fixtures.append;
import static io.framekeep.storage.Fixtures.createStream;
import static io.framekeep.storage.Fixtures.metadata;
import static io.framekeep.storage.Fixtures.payload;
import static io.framekeep.storage.Fixtures.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read seam of the embedded backend: byte sources for ranges of fragments, checked against the payloads
 * that were written, across segment files, through both ways out (transfer to a channel, read into a buffer).
 */
class FragmentReadTest {

  @TempDir Path dataDir;
  @TempDir Path outDir;
  private EmbeddedStorage storage;
  private FragmentLog log;
  private long streamId;
  private final List<FragmentRecord> written = new ArrayList<>();
  private final List<byte[]> payloads = new ArrayList<>();

  /** Six 400-byte fragments in 1000-byte segments: three in segment 1, three in segment 2. */
  @BeforeEach
  void fill() throws Exception {
    storage = EmbeddedStorage.open(dataDir, CLOCK, new StorageOptions(1000));
    log = storage.fragments();
    streamId = createStream(storage, "cam");
    long headerId = log.putHeader(streamId, new byte[] {1});
    try (FragmentAppender appender = log.openAppender(streamId)) {
      for (int i = 0; i < 6; i++) {
        payloads.add(payload(i, 400));
        written.add(append(appender, payloads.get(i), 400, metadata(i * 1000L, i * 1000L, headerId)));
      }
    }
    assertThat(written).extracting(FragmentRecord::segmentId).containsExactly(1L, 1L, 1L, 2L, 2L, 2L);
  }

  @AfterEach
  void close() throws Exception {
    storage.close();
  }

  @Test
  void openRanges_rangesAcrossSegments_transferExactlyTheirBytesInOrder() throws Exception {
    Random random = new Random(7);
    List<ByteRange> ranges = new ArrayList<>();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (int i = 0; i < 40; i++) {
      int fragment = random.nextInt(written.size());
      int from = random.nextInt(400);
      int length = random.nextInt(400 - from + 1);
      ranges.add(new ByteRange(written.get(fragment), from, length));
      expected.write(payloads.get(fragment), from, length);
    }
    Path out = outDir.resolve("out");
    try (RangeReader reader = log.openRanges(ranges);
        FileChannel target = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      for (ByteRange range : ranges) {
        ByteSource source = reader.next();
        assertThat(source.ready().toCompletableFuture()).isCompleted();
        assertThat(source.lengthBytes()).isEqualTo(range.lengthBytes());
        long sent = 0;
        while (sent < source.lengthBytes()) {
          sent += source.transferTo(sent, source.lengthBytes() - sent, target);
        }
        assertThat(source.transferTo(sent, 1, target)).as("nothing past the range").isZero();
        source.close();
      }
      assertThat(reader.hasNext()).isFalse();
      assertThatThrownBy(reader::next).isInstanceOf(NoSuchElementException.class);
    }
    assertThat(java.nio.file.Files.readAllBytes(out)).isEqualTo(expected.toByteArray());
  }

  @Test
  void open_readAtOffsets_givesThePayloadBytes() throws Exception {
    FragmentRecord f = written.get(4);
    try (ByteSource source = log.open(new ByteRange(f, 100, 250))) {
      ByteBuffer head = ByteBuffer.allocate(10);
      source.read(0, head);
      ByteBuffer tail = ByteBuffer.allocate(40);
      source.read(210, tail);
      assertThat(head.array()).isEqualTo(Arrays.copyOfRange(payloads.get(4), 100, 110));
      assertThat(tail.array()).isEqualTo(Arrays.copyOfRange(payloads.get(4), 310, 350));
      assertThatThrownBy(() -> source.read(211, ByteBuffer.allocate(40)))
          .as("a read past the range, though the segment goes on").isInstanceOf(EOFException.class);
    }
  }

  @Test
  void transferTo_segmentTruncatedBehindTheReader_failsWithEof() throws Exception {
    FragmentRecord f = written.get(2);
    try (ByteSource source = log.open(ByteRange.whole(f));
        FileChannel segment = FileChannel.open(segment(dataDir, streamId, 1), StandardOpenOption.WRITE)) {
      segment.truncate(f.offset() + 100);
      WritableByteChannel sink = Channels.newChannel(new ByteArrayOutputStream());
      long sent = source.transferTo(0, f.lengthBytes(), sink);
      assertThat(sent).isEqualTo(100);
      assertThatThrownBy(() -> source.transferTo(sent, f.lengthBytes() - sent, sink))
          .isInstanceOf(EOFException.class);
      assertThatThrownBy(() -> source.read(0, ByteBuffer.allocate(400))).isInstanceOf(EOFException.class);
    }
  }

  @Test
  void openRanges_segmentReclaimedBeforeOpening_failsWithNoSuchFile() throws Exception {
    log.deleteOlderThan(streamId, 3000); // reclaims segment 1, whose fragments the records still name

    assertThatThrownBy(() -> log.openRanges(List.of(ByteRange.whole(written.get(5)),
        ByteRange.whole(written.get(0))))).isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> log.open(ByteRange.whole(written.get(1))))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void openRanges_segmentReclaimedAfterOpening_stillServesTheOpenedBytes() throws Exception {
    try (RangeReader reader = log.openRanges(List.of(ByteRange.whole(written.get(0))))) {
      log.deleteOlderThan(streamId, 3000);

      ByteBuffer bytes = ByteBuffer.allocate(400);
      reader.next().read(0, bytes);
      assertThat(bytes.array()).isEqualTo(payloads.get(0));
    }
  }

  @Test
  void byteRange_outsideItsFragment_isRefused() {
    FragmentRecord f = written.get(0);
    assertThatThrownBy(() -> new ByteRange(f, 1, 400)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ByteRange(f, -1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ByteRange(f, 0, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new ByteRange(f, 400, 0).lengthBytes()).isZero();
  }
}
