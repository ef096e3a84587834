package io.framekeep.server.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.api.FragmentNumbers;
import io.framekeep.media.kvs.KvsChunkWriter;
import io.framekeep.media.kvs.StoredHeader;
import io.framekeep.server.ingest.FragmentEvents;
import io.framekeep.storage.FragmentRecord;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GetMedia and GetMediaForFragmentList bodies against a real fragment log and a sink without a
 * network: exact chunk bytes, order, idle close, and the connection slot given back.
 */
class LiveFollowerTest {
  private static final long IDLE_MS = 300;

  @TempDir Path dir;
  private final ExecutorService workers = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    workers.shutdownNow();
  }

  /** prefix + stored cluster + suffix of each fragment, as AWS lays a chunk out. */
  private static byte[] expectedChunks(List<FragmentRecord> fragments, long newestServerMs)
      throws Exception {
    StoredHeader header = StoredHeader.parse(TestLog.HEADER);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (FragmentRecord f : fragments) {
      String number = FragmentNumbers.format(f.sequence());
      out.writeBytes(bytes(KvsChunkWriter.prefix(header, number, f.serverTimestampMs(),
          f.producerTimestampMs())));
      out.writeBytes(TestLog.payload((int) f.sequence() - 1));
      out.writeBytes(bytes(KvsChunkWriter.suffix(newestServerMs - f.serverTimestampMs(), number)));
    }
    return out.toByteArray();
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }

  @Test
  void getMedia_fromSecondFragment_sendsTheRestExactlyThenEndsWhenIdle() throws Exception {
    try (TestLog log = new TestLog(dir, "s"); RecordingSink sink = new RecordingSink()) {
      log.append(4);
      AtomicInteger released = new AtomicInteger();
      StreamPositions positions = new StreamPositions(log.storage.fragments(), 20_000);
      long newest = log.fragments.get(3).serverTimestampMs();
      LiveFollower follower = new LiveFollower(log.stream.streamId(), 2, newest,
          log.storage.fragments(), positions, new FragmentEvents(), workers, IDLE_MS,
          FragmentPacer.unlimited(), released::incrementAndGet);
      long started = System.nanoTime();
      sink.executor().execute(() -> follower.start(sink));

      assertThat(sink.over.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(sink.ended).isTrue();
      assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(
          TimeUnit.MILLISECONDS.toNanos(IDLE_MS));
      assertThat(sink.body()).isEqualTo(expectedChunks(log.fragments.subList(1, 4), newest));
      assertThat(released).hasValue(1);
    }
  }

  /** 14 archived fragments at 5 per second with a 10-fragment burst: the last 4 take 0.8 s. */
  @Test
  void getMedia_pacedAtFivePerSecond_everyChunkInOrderAfterTheBurst() throws Exception {
    try (TestLog log = new TestLog(dir, "s"); RecordingSink sink = new RecordingSink()) {
      log.append(14);
      long newest = log.fragments.get(13).serverTimestampMs();
      LiveFollower follower = new LiveFollower(log.stream.streamId(), 1, newest,
          log.storage.fragments(), new StreamPositions(log.storage.fragments(), 20_000),
          new FragmentEvents(), workers, IDLE_MS,
          new FragmentPacer(FragmentPacer.AWS_FRAGMENTS_PER_SECOND, System::currentTimeMillis),
          () -> { });
      long started = System.nanoTime();
      sink.executor().execute(() -> follower.start(sink));

      assertThat(sink.over.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(
          TimeUnit.MILLISECONDS.toNanos(4 * 1000 / FragmentPacer.AWS_FRAGMENTS_PER_SECOND));
      assertThat(sink.body()).isEqualTo(expectedChunks(log.fragments, newest));
    }
  }

  @Test
  void getMedia_clientLeaves_slotGivenBackOnce() throws Exception {
    try (TestLog log = new TestLog(dir, "s"); RecordingSink sink = new RecordingSink()) {
      AtomicInteger released = new AtomicInteger();
      LiveFollower follower = new LiveFollower(log.stream.streamId(), 1, Long.MIN_VALUE,
          log.storage.fragments(), new StreamPositions(log.storage.fragments(), 20_000),
          new FragmentEvents(), workers, 60_000, FragmentPacer.unlimited(),
          released::incrementAndGet);
      sink.executor().execute(() -> follower.start(sink));
      sink.disconnect();
      assertThat(sink.over.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(sink.ended).isFalse();
      assertThat(sink.body()).isEmpty();
      assertThat(released).hasValue(1);
    }
  }

  @Test
  void fragmentList_anyOrder_chunksInThatOrderThenEnd() throws Exception {
    try (TestLog log = new TestLog(dir, "s"); RecordingSink sink = new RecordingSink()) {
      log.append(3);
      List<FragmentRecord> order = List.of(log.fragments.get(2), log.fragments.get(0),
          log.fragments.get(1));
      long newest = log.fragments.get(2).serverTimestampMs();
      FragmentListBody body = new FragmentListBody(order, newest, log.storage.fragments(), workers,
          () -> { });
      sink.executor().execute(() -> body.start(sink));
      assertThat(sink.over.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(sink.ended).isTrue();
      assertThat(sink.body()).isEqualTo(expectedChunks(order, newest));
    }
  }
}
