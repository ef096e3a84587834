package io.framekeep.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.ServiceLimits;
import io.framekeep.server.crash.ApiCalls;
import io.framekeep.server.crash.PutMediaUpload;
import io.framekeep.server.crash.PutMediaUpload.Ack;
import io.framekeep.server.crash.TestMkv;
import io.framekeep.storage.faults.DurabilityHold;
import io.framekeep.storage.faults.HeldDurabilityFragmentLog;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PutMedia against storage slow to make fragments durable ({@link HeldDurabilityFragmentLog}, standing
 * for the cluster backend's flush backlog) with a short idle timeout: a producer is never ended by
 * the idle rule while the server owes it PERSISTED acks or holds its body, a genuinely silent
 * producer still is (IDLE acks, then ERROR for the fragment it left unfinished), and fragments
 * storage never confirms get ERROR 5001 after the durability wait instead of no ack at all.
 */
class PutMediaTimeoutsTest {
  private static final String STREAM = "cam";
  /** Short so that the tests are quick; AWS's is 30 s. */
  private static final long IDLE_TIMEOUT_MS = 1_000;
  private static final long IDLE_ACK_PERIOD_MS = 250;
  /** How long storage holds durability back: four idle timeouts. */
  private static final long HOLD_MS = 4 * IDLE_TIMEOUT_MS;
  /** Fragments that may wait for durability before a commit blocks, as the cluster backend's do. */
  private static final int MAX_WAITING_FRAGMENTS = 2;
  private static final long ACK_TIMEOUT_MS = 30_000;
  private static final int FRAGMENTS = 6;

  @TempDir static Path mediaDir;
  private static TestMkv mkv;

  @TempDir Path dir;

  @BeforeAll
  static void encode() throws Exception {
    mkv = TestMkv.encode(mediaDir, FRAGMENTS);
  }

  @Test
  void putMedia_storageSlowerThanIdleTimeout_bodyEnded_everyFragmentPersisted() throws Exception {
    DurabilityHold hold = new DurabilityHold(MAX_WAITING_FRAGMENTS);
    try (FramekeepServer server = start(limits(), hold)) {
      new ApiCalls(server.port()).createStream(STREAM, 24);
      hold.hold();

      PutMediaUpload upload = PutMediaUpload.send(server.port(), STREAM, mkv,
          System.currentTimeMillis(), 0, ack -> { });
      Thread.sleep(HOLD_MS);
      boolean endedWhileHeld = upload.ended();
      hold.release();
      List<Ack> acks = upload.awaitAcks(ACK_TIMEOUT_MS);

      assertThat(endedWhileHeld).as("response ended while storage was behind").isFalse();
      assertThat(ofType(acks, "ERROR")).isEmpty();
      assertThat(timecodes(ofType(acks, "PERSISTED"))).containsExactly(clusterTimecodes());
      assertThat(upload.endedCleanly()).isTrue();
    }
  }

  @Test
  void putMedia_storageSlowerThanIdleTimeout_producerWaitsForAcks_everyFragmentPersisted()
      throws Exception {
    DurabilityHold hold = new DurabilityHold(Integer.MAX_VALUE);
    try (FramekeepServer server = start(limits(), hold)) {
      new ApiCalls(server.port()).createStream(STREAM, 24);
      hold.hold();
      CountDownLatch persisted = new CountDownLatch(FRAGMENTS);

      PutMediaUpload upload = PutMediaUpload.open(server.port(), STREAM, mkv,
          System.currentTimeMillis(), ack -> {
            if (ack.eventType().equals("PERSISTED")) {
              persisted.countDown();
            }
          });
      for (byte[] cluster : mkv.clusters()) {
        upload.chunk(cluster);
      }
      // The producer has sent everything and, as producer SDKs do, waits for its acks.
      Thread.sleep(HOLD_MS);
      boolean endedWhileHeld = upload.ended();
      hold.release();
      boolean allPersisted = persisted.await(ACK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      upload.endBody();
      List<Ack> acks = upload.awaitAcks(ACK_TIMEOUT_MS);

      assertThat(endedWhileHeld).as("response ended while storage was behind").isFalse();
      assertThat(allPersisted).as("every fragment acked PERSISTED").isTrue();
      assertThat(ofType(acks, "ERROR")).isEmpty();
      assertThat(timecodes(ofType(acks, "PERSISTED"))).containsExactly(clusterTimecodes());
      assertThat(upload.endedCleanly()).isTrue();
    }
  }

  @Test
  void putMedia_producerSilentInsideAFragment_idleAcksThenPersistedThenError4000AndClosed()
      throws Exception {
    DurabilityHold hold = new DurabilityHold(Integer.MAX_VALUE);
    try (FramekeepServer server = start(limits(), hold)) {
      new ApiCalls(server.port()).createStream(STREAM, 24);
      hold.hold();
      byte[] third = mkv.clusters().get(2);

      long startNanos = System.nanoTime();
      PutMediaUpload upload = PutMediaUpload.open(server.port(), STREAM, mkv,
          System.currentTimeMillis(), ack -> { });
      upload.chunk(mkv.clusters().get(0));
      upload.chunk(mkv.clusters().get(1));
      upload.chunk(Arrays.copyOf(third, third.length / 2)); // then nothing more
      Thread.sleep(HOLD_MS);
      boolean endedWhileHeld = upload.ended();
      long releasedNanos = System.nanoTime();
      hold.release();
      List<Ack> acks = upload.awaitAcks(ACK_TIMEOUT_MS);
      long endedAfterReleaseMs = (System.nanoTime() - releasedNanos) / 1_000_000;

      // Silence counts only once nothing is owed to the producer: from the release.
      assertThat(endedWhileHeld).as("ended while its fragments awaited durability").isFalse();
      assertThat(upload.ended()).isTrue();
      assertThat(endedAfterReleaseMs).isBetween(IDLE_TIMEOUT_MS - IDLE_ACK_PERIOD_MS,
          IDLE_TIMEOUT_MS + 10_000);
      assertThat(ofType(acks, "IDLE")).as("IDLE acks while silent").isNotEmpty();
      long[] timecodes = clusterTimecodes();
      assertThat(timecodes(ofType(acks, "PERSISTED"))).containsExactly(timecodes[0], timecodes[1]);
      String unfinished = ofType(acks, "BUFFERING").get(2).fragmentNumber();
      assertThat(ofType(acks, "ERROR")).containsExactly(
          new Ack("ERROR", timecodes[2], unfinished, AckErrors.STREAM_READ_ERROR));
      assertThat(acks.get(acks.size() - 1).eventType()).as("the last ack").isEqualTo("ERROR");
      assertThat((System.nanoTime() - startNanos) / 1_000_000).isGreaterThan(HOLD_MS);
    }
  }

  @Test
  void putMedia_storageNeverConfirms_error5001ForEachFragmentAfterTheDurabilityWait()
      throws Exception {
    long durabilityWaitMs = 2_000;
    DurabilityHold hold = new DurabilityHold(Integer.MAX_VALUE);
    ServiceLimits limits = limits().withPutMediaBounds(
        ServiceLimits.DEFAULT_PUT_MEDIA_UNREAD_ACKS_TIMEOUT_MS,
        ServiceLimits.DEFAULT_PUT_MEDIA_BUDGET_PAUSE_TIMEOUT_MS, durabilityWaitMs);
    try (FramekeepServer server = start(limits, hold)) {
      new ApiCalls(server.port()).createStream(STREAM, 24);
      hold.hold();
      try {
        long startNanos = System.nanoTime();
        PutMediaUpload upload = PutMediaUpload.send(server.port(), STREAM, mkv,
            System.currentTimeMillis(), 0, ack -> { });
        List<Ack> acks = upload.awaitAcks(ACK_TIMEOUT_MS);
        long endedMs = (System.nanoTime() - startNanos) / 1_000_000;

        assertThat(upload.ended()).isTrue();
        assertThat(endedMs).isBetween(durabilityWaitMs, durabilityWaitMs + 10_000);
        assertThat(ofType(acks, "PERSISTED")).isEmpty();
        List<Ack> expected = ofType(acks, "BUFFERING").stream()
            .map(b -> new Ack("ERROR", b.fragmentTimecode(), b.fragmentNumber(),
                AckErrors.ARCHIVAL_ERROR))
            .toList();
        assertThat(expected).hasSize(FRAGMENTS);
        assertThat(ofType(acks, "ERROR")).containsExactlyElementsOf(expected);
      } finally {
        hold.release();
      }
    }
  }

  private FramekeepServer start(ServiceLimits limits, DurabilityHold hold) throws Exception {
    ServerConfig config = ServerConfig.defaults(dir.resolve("data")).withPort(0).withNoAuth()
        .withLimits(limits);
    return FramekeepServer.start(config, log -> new HeldDurabilityFragmentLog(log, hold));
  }

  private static ServiceLimits limits() {
    return ServiceLimits.awsDefaults().withPutMediaIdle(IDLE_TIMEOUT_MS, IDLE_ACK_PERIOD_MS);
  }

  private static List<Ack> ofType(List<Ack> acks, String eventType) {
    return acks.stream().filter(a -> a.eventType().equals(eventType)).toList();
  }

  private static long[] timecodes(List<Ack> acks) {
    return acks.stream().mapToLong(Ack::fragmentTimecode).toArray();
  }

  private static long[] clusterTimecodes() {
    return mkv.clusterTimecodes();
  }
}
