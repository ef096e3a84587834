package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.server.ServiceLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;

/**
 * PutMedia under clients that push harder than they should: one that never reads its acks, one
 * faster than AWS's 5 fragments per second, and lacing bombs against the server's memory budget.
 */
class PutMediaBackPressureTest {
  /** Small enough that a few lacing bombs spend it; the legitimate upload needs far less. */
  private static final long BUDGET_BYTES = 24L * 1024 * 1024;
  @RegisterExtension static final InProcessServer UNTHROTTLED = InProcessServer.configured(c -> c
      .withLimits(ServiceLimits.awsDefaults().withFragmentQuotas(false, 10_000, 500)
          .withMemoryBudgetBytes(BUDGET_BYTES)));
  @RegisterExtension static final InProcessServer AWS_RATES = InProcessServer.withDefaults();
  /**
   * The unread-acks bound here, standing for the 30 s default: well past the few seconds a client
   * that reads its acks may leave them (the first test's reader starts 5 s into a stall).
   */
  private static final long UNREAD_ACKS_TIMEOUT_MS = 2_000;
  @RegisterExtension static final InProcessServer UNREAD_BOUND = InProcessServer.configured(c -> c
      .withLimits(ServiceLimits.awsDefaults().withFragmentQuotas(false, 10_000, 500)
          .withPutMediaIdle(ServiceLimits.AWS_PUT_MEDIA_IDLE_TIMEOUT_MS, 500)
          .withPutMediaBounds(UNREAD_ACKS_TIMEOUT_MS,
              ServiceLimits.DEFAULT_PUT_MEDIA_BUDGET_PAUSE_TIMEOUT_MS,
              ServiceLimits.DEFAULT_PUT_MEDIA_DURABILITY_WAIT_MS)));
  /**
   * Filling the kernel buffers and the queue (seconds), the bound, the 5 s the server lets the
   * last chunk of an ended response try to leave, and room for a loaded machine.
   */
  private static final Duration UNREAD_CLOSE_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern PERSISTED_ACK =
      Pattern.compile("\\{\"EventType\":\"PERSISTED\",[^}]*\"FragmentNumber\":\"(\\d+)\"");

  /** The client's socket receive buffer: fixed, so what the kernel holds of the acks is known. */
  private static final int CLIENT_RECEIVE_BUFFER_BYTES = 64 * 1024;
  /** More than the kernel (4 MiB send buffer at most, tcp_wmem) and the backlog can hold. */
  private static final long ACKS_PENDING_AT_STALL_BYTES = 8L * 1024 * 1024;
  /** Tiny clusters per body chunk: about 8 KB. */
  private static final int CLUSTERS_PER_CHUNK = 200;
  /** What the client may get written before the server stops reading: kernel buffers + queue. */
  private static final long MAX_WRITTEN_WITHOUT_READING_BYTES = 48L * 1024 * 1024;
  /**
   * No progress for this long means the server stopped taking the body. Shorter pauses happen
   * anyway: the server works through up to 4 MiB of queued clusters (100,000 fragments) with
   * reading paused; but it never stops for seconds while it can still send acks.
   */
  private static final long STALL_MS = 5_000;
  private static final Duration STALL_TIMEOUT = Duration.ofSeconds(90);

  @Test
  void putMedia_clientNeverReadsAcks_serverStopsReadingUntilTheyAreRead() throws Exception {
    KinesisVideoClient kv = UNTHROTTLED.kinesisVideo();
    Streams.create(kv, "pm-unread-acks", 24);
    URI endpoint = Streams.dataEndpoint(kv, "pm-unread-acks", APIName.PUT_MEDIA);
    AtomicLong written = new AtomicLong();
    try (RawPutMedia upload = RawPutMedia.open(endpoint, InProcessServer.credentials(),
        "pm-unread-acks", CLIENT_RECEIVE_BUFFER_BYTES)) {
      Thread writer = new Thread(() -> writeTinyClusters(upload, written), "unread-acks-writer");
      writer.setDaemon(true);
      writer.start();

      long stalledAt = awaitStall(written);

      assertThat(stalledAt).as("bytes the server took without its acks being read")
          .isLessThan(MAX_WRITTEN_WITHOUT_READING_BYTES);
      assertThat(UNTHROTTLED.memoryBudget().usedBytes()).as("bytes charged while stalled")
          .isLessThan(8L * 1024 * 1024);
      // Reading the acks lets the server go on: more acks come than could have been waiting (the
      // server's socket buffer, at most 4 MiB here, the client's, and the backlog bound).
      AtomicLong read = new AtomicLong();
      Thread reader = new Thread(() -> drain(upload, read), "unread-acks-reader");
      reader.setDaemon(true);
      reader.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (read.get() <= ACKS_PENDING_AT_STALL_BYTES && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(read.get()).as("ack bytes read once the client reads")
          .isGreaterThan(ACKS_PENDING_AT_STALL_BYTES);
    }
  }

  @Test
  void putMedia_clientNeverReadsAcks_closedAfterTheUnreadAckBoundNothingAcknowledgedLost()
      throws Exception {
    KinesisVideoClient kv = UNREAD_BOUND.kinesisVideo();
    String stream = "pm-unread-bound";
    Streams.create(kv, stream, 24);
    Instant before = Instant.now().minusSeconds(1);
    AtomicLong written = new AtomicLong();
    List<String> persisted;
    try (RawPutMedia upload = RawPutMedia.open(
        Streams.dataEndpoint(kv, stream, APIName.PUT_MEDIA), InProcessServer.credentials(), stream,
        CLIENT_RECEIVE_BUFFER_BYTES)) {
      Thread writer = new Thread(() -> writeTinyClusters(upload, written), "unread-bound-writer");
      writer.setDaemon(true);
      writer.start();

      writer.join(UNREAD_CLOSE_TIMEOUT.toMillis());
      if (writer.isAlive()) {
        // What the server's threads and the writer were doing, for the failure report.
        Thread.getAllStackTraces().forEach((t, stack) -> {
          System.err.println("thread " + t.getName() + " " + t.getState());
          for (StackTraceElement e : stack) {
            System.err.println("    at " + e);
          }
        });
      }

      assertThat(writer.isAlive()).as("the server closed the connection of a client that reads"
          + " no ack, within " + UNREAD_CLOSE_TIMEOUT).isFalse();
      persisted = persistedAcks(upload); // what reached the client before the close
    }
    assertThat(persisted).as("PERSISTED acks the client holds").isNotEmpty();
    KinesisVideoArchivedMediaClient archived = UNREAD_BOUND.archivedMedia(
        Streams.dataEndpoint(kv, stream, APIName.LIST_FRAGMENTS));
    Set<String> stored = Streams.listAll(archived, stream, Streams.selector(
            FragmentSelectorType.SERVER_TIMESTAMP, before, Instant.now().plusSeconds(60)), null)
        .stream().map(Fragment::fragmentNumber).collect(Collectors.toSet());
    assertThat(stored).as("fragments stored").containsAll(persisted);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (UNREAD_BOUND.memoryBudget().usedBytes() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(UNREAD_BOUND.memoryBudget().usedBytes()).as("bytes still charged after the close")
        .isZero();
  }

  @Test
  void putMedia_fasterThanFiveFragmentsPerSecond_slowedToAwsRateEveryFragmentPersisted() {
    int clusters = 30;
    byte[] body = tinyClusterBody(clusters);

    long throttledMs = timedUpload(AWS_RATES, "pm-rate-aws", body, clusters);
    long unthrottledMs = timedUpload(UNTHROTTLED, "pm-rate-off", body, clusters);

    // 5 at once (one second's burst), then 5 per second: 25 more take 5 s.
    assertThat(throttledMs).as("30 fragments at AWS's rate").isGreaterThanOrEqualTo(4_500);
    assertThat(unthrottledMs).as("30 fragments with --no-quotas").isLessThan(3_000);
  }

  @Test
  void putMedia_lacingBombsSpendTheBudget_heldBackWhileLegitimateUploadPersists()
      throws Exception {
    KinesisVideoClient kv = UNTHROTTLED.kinesisVideo();
    int bombs = 8;
    List<RawPutMedia> open = new ArrayList<>();
    List<Thread> writers = new ArrayList<>();
    AtomicLong maxUsed = new AtomicLong();
    try {
      for (int i = 0; i < bombs; i++) {
        String stream = "pm-bomb-" + i;
        Streams.create(kv, stream, 24);
        RawPutMedia bomb = RawPutMedia.open(Streams.dataEndpoint(kv, stream, APIName.PUT_MEDIA),
            InProcessServer.credentials(), stream);
        open.add(bomb);
        Thread t = new Thread(() -> sendLacingBomb(bomb), "lacing-bomb-" + i);
        t.setDaemon(true);
        t.start();
        writers.add(t);
      }
      Thread sampler = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          maxUsed.accumulateAndGet(UNTHROTTLED.memoryBudget().usedBytes(), Math::max);
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "budget-sampler");
      sampler.setDaemon(true);
      sampler.start();
      Thread.sleep(3_000); // let the bombs spend the budget

      Streams.create(kv, "pm-beside-bombs", 24);
      Streams.Ingest ingest = Streams.ingestTestMedia(kv, "pm-beside-bombs");
      sampler.interrupt();

      int clusters = Ffmpeg.clusterTimecodesMs(TestMedia.h264Aac()).size();
      assertThat(ingest.response().acks("ERROR")).isEmpty();
      assertThat(ingest.response().acks("PERSISTED")).hasSize(clusters);
      assertThat(maxUsed.get()).as("the bombs reached the budget").isGreaterThan(BUDGET_BYTES);
      // Each session may pass the budget by its floor and one step of growth (a few MiB).
      assertThat(maxUsed.get()).as("most bytes charged at once")
          .isLessThan(BUDGET_BYTES + bombs * 4L * 1024 * 1024);
    } finally {
      open.forEach(RawPutMedia::close);
      writers.forEach(Thread::interrupt);
      for (Thread t : writers) {
        t.join(5_000);
      }
    }
  }

  private static long timedUpload(InProcessServer server, String stream, byte[] body,
      int clusters) {
    KinesisVideoClient kv = server.kinesisVideo();
    Streams.create(kv, stream, 24);
    long start = System.nanoTime();
    PutMediaClient.Response response = InProcessServer.putMedia(
            Streams.dataEndpoint(kv, stream, APIName.PUT_MEDIA))
        .put(PutMediaClient.Target.relative(stream, Instant.now().truncatedTo(ChronoUnit.MILLIS)),
            PutMediaClient.Signing.EMPTY_PAYLOAD_HASH, new ByteArrayInputStream(body),
            Streams.UPLOAD_TIMEOUT);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(response.acks("ERROR")).isEmpty();
    assertThat(response.acks("PERSISTED")).hasSize(clusters);
    return ms;
  }

  /** A header then {@code clusters} tiny clusters 40 ms apart. */
  private static byte[] tinyClusterBody(int clusters) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(HostileMkv.header(1, 0));
    for (int i = 0; i < clusters; i++) {
      out.writeBytes(HostileMkv.tinyCluster(i * 40L));
    }
    return out.toByteArray();
  }

  /** Header, then tiny clusters as fast as the socket takes them, until it fails. */
  private static void writeTinyClusters(RawPutMedia upload, AtomicLong written) {
    try {
      byte[] header = HostileMkv.header(1, 0);
      upload.chunk(header);
      written.addAndGet(header.length);
      long timecode = 0;
      while (true) {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        for (int i = 0; i < CLUSTERS_PER_CHUNK; i++) {
          chunk.writeBytes(HostileMkv.tinyCluster(timecode++));
        }
        upload.chunk(chunk.toByteArray());
        written.addAndGet(chunk.size());
      }
    } catch (IOException e) {
      // closed by the test
    }
  }

  /** Header, then one open cluster of 4,096 laces of 256 1-byte frames (a million frames). */
  private static void sendLacingBomb(RawPutMedia bomb) {
    try {
      bomb.chunk(HostileMkv.header(1, 0));
      bomb.chunk(HostileMkv.openCluster(0));
      byte[] lace = HostileMkv.lacedBlock();
      int lacesPerChunk = 64 * 1024 / lace.length;
      byte[] chunk = new byte[lacesPerChunk * lace.length];
      for (int i = 0; i < lacesPerChunk; i++) {
        System.arraycopy(lace, 0, chunk, i * lace.length, lace.length);
      }
      for (int sent = 0; sent < 4_096; sent += lacesPerChunk) {
        bomb.chunk(chunk);
      }
      Thread.sleep(60_000); // holds the open cluster, as the attacker does
    } catch (IOException | InterruptedException e) {
      // closed by the test
    }
  }

  private static long awaitStall(AtomicLong written) throws InterruptedException {
    long deadline = System.nanoTime() + STALL_TIMEOUT.toNanos();
    long last = -1;
    long lastChangeNanos = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long now = written.get();
      if (now != last) {
        last = now;
        lastChangeNanos = System.nanoTime();
      } else if (now > 0 && System.nanoTime() - lastChangeNanos > STALL_MS * 1_000_000) {
        return now;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the server kept reading: " + written.get() + " bytes in "
        + STALL_TIMEOUT + " without an ack read");
  }

  /** The fragment numbers of the PERSISTED acks the client can still read, until EOF or reset. */
  private static List<String> persistedAcks(RawPutMedia upload) {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try {
      upload.in().transferTo(received);
    } catch (IOException e) {
      // reset by the server's close: what was read before stands
    }
    Matcher m = PERSISTED_ACK.matcher(received.toString(StandardCharsets.UTF_8));
    List<String> numbers = new ArrayList<>();
    while (m.find()) {
      numbers.add(m.group(1));
    }
    return numbers;
  }

  private static void drain(RawPutMedia upload, AtomicLong read) {
    try {
      InputStream in = upload.in();
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        read.addAndGet(n);
      }
    } catch (IOException e) {
      // closed by the test
    }
  }
}
