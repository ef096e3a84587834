package io.framekeep.server.retention;

import io.framekeep.server.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.crash.ApiCalls;
import io.framekeep.server.crash.PutMediaUpload;
import io.framekeep.server.crash.TestMkv;
import io.framekeep.storage.StorageOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention end to end through a real server on a hand-moved clock: two uploads two hours apart,
 * one fragment per segment file (1-byte segments), retention 3 h.
 */
class RetentionServiceTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final long HOUR_MS = 3_600_000;
  private static final String STREAM = "retained";

  @TempDir static Path mediaDir;
  private static TestMkv mkv;

  @TempDir Path dataDir;
  private final MutableClock clock = new MutableClock(T0);
  private FramekeepServer server;
  private ApiCalls api;

  @BeforeAll
  static void encode() throws Exception {
    mkv = TestMkv.encode(mediaDir, 5);
  }

  @BeforeEach
  void start() throws Exception {
    server = FramekeepServer.start(ServerConfig.defaults(dataDir).withNoAuth().withPort(0)
        .withClock(clock).withStorage(new StorageOptions(1)));
    api = new ApiCalls(server.port());
    api.createStream(STREAM, 3);
    upload();
    clock.advance(Duration.ofHours(2));
    upload();
    assertThat(list()).hasSize(2 * mkv.clusters().size());
    assertThat(segmentFiles()).hasSize(2 * mkv.clusters().size());
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  @Test
  void expiredFragments_areHiddenAtOnce_andTheirSegmentsReclaimedBySweep() throws Exception {
    int perUpload = mkv.clusters().size();
    // The clock stands still during an upload, so its fragments get server timestamps T0,
    // T0 + 1 ms, ... (distinct per stream): 3 h after the last, the whole first upload expired.
    clock.set(T0.plusMillis(3 * HOUR_MS + perUpload));

    assertThat(list()).hasSize(perUpload);
    assertThat(api.getClip(STREAM, ms(T0) - 1000, ms(T0) + 1000).status()).isEqualTo(404);
    assertThat(api.getClip(STREAM, ms(T0) + 2 * HOUR_MS - 1000, ms(T0) + 2 * HOUR_MS + 1000)
        .status()).isEqualTo(200);
    assertThat(segmentFiles()).hasSize(2 * perUpload);

    assertThat(server.retention().sweepNow()).isEqualTo(perUpload);

    assertThat(segmentFiles()).hasSize(perUpload);
    assertThat(list()).hasSize(perUpload);
  }

  @Test
  void updateDataRetention_shorterPeriod_appliesLive() throws Exception {
    int perUpload = mkv.clusters().size();
    clock.set(T0.plusMillis(2 * HOUR_MS + 60_000));
    assertThat(list()).hasSize(2 * perUpload);

    String version = api.post("/describeStream", "{\"StreamName\":\"" + STREAM + "\"}").json()
        .path("StreamInfo").path("Version").asText();
    assertThat(api.post("/updateDataRetention", "{\"StreamName\":\"" + STREAM
        + "\",\"CurrentVersion\":\"" + version + "\",\"Operation\":\"DECREASE_DATA_RETENTION\","
        + "\"DataRetentionChangeInHours\":2}").status()).isEqualTo(200);

    // 1 h now: the first upload (T0) is gone, the second (T0 + 2 h) is a minute old.
    assertThat(list()).hasSize(perUpload);
    assertThat(server.retention().sweepNow()).isEqualTo(perUpload);
    assertThat(segmentFiles()).hasSize(perUpload);

    clock.advance(Duration.ofHours(1));
    assertThat(list()).isEmpty();
    assertThat(api.getClip(STREAM, ms(T0) + 2 * HOUR_MS - 1000, ms(T0) + 2 * HOUR_MS + 1000)
        .status()).isEqualTo(404);
    assertThat(server.retention().sweepNow()).isEqualTo(perUpload);
    // The newest segment stays: it is where the next fragment of the stream goes.
    assertThat(segmentFiles()).hasSize(1);
  }

  private void upload() throws Exception {
    try (PutMediaUpload upload = PutMediaUpload.send(server.port(), STREAM, mkv, clock.millis(),
        0, ack -> { })) {
      List<PutMediaUpload.Ack> acks = upload.awaitAcks(30_000);
      assertThat(acks).filteredOn(a -> a.eventType().equals("PERSISTED"))
          .hasSize(mkv.clusters().size());
    }
  }

  private List<String> list() throws Exception {
    return api.listFragmentNumbers(STREAM, ms(T0) - HOUR_MS, ms(T0) + 10 * HOUR_MS);
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.walk(dataDir.resolve("streams"))) {
      return files.filter(p -> p.toString().endsWith(".seg")).toList();
    }
  }

  private static long ms(Instant t) {
    return t.toEpochMilli();
  }
}
