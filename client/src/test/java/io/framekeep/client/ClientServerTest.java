package io.framekeep.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.ServiceLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The client against an in-process Framekeep server whose GetClip stops at {@link #SERVER_CAP}
 * fragments, so long clips need several pieces. The ten-fragment fixture is uploaded once with
 * the client's own PutMedia.
 */
class ClientServerTest {
  static final int SERVER_CAP = 3;
  static final String STREAM = "cam1";
  @TempDir static Path dataDir;
  static FramekeepServer server;
  static FramekeepClient client;
  static PutMediaResult upload;
  static final List<AckEvent> acks = Collections.synchronizedList(new ArrayList<>());
  static List<Fragment> fragments;

  @BeforeAll
  static void start() throws Exception {
    server = FramekeepServer.start(ServerConfig.defaults(dataDir).withPort(0)
        .withCredential("AKIDTEST", "SECRETTEST")
        .withLimits(ServiceLimits.awsDefaults().withClipCaps(SERVER_CAP, 100L * 1024 * 1024)));
    client = client("SECRETTEST");
    client.createStream(STREAM, 24);
    try (InputStream in = Files.newInputStream(Media.h264Aac())) {
      upload = client.putMedia(STREAM, in, new PutMediaListener() {
        @Override
        public void onAck(AckEvent ack) {
          acks.add(ack);
        }
      });
    }
    fragments = client.listFragments(STREAM, wholeRange());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close();
  }

  static FramekeepClient client(String secret) {
    return FramekeepClient.builder().endpoint(URI.create(server.baseUrl()))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIDTEST", secret)))
        .build();
  }

  static ClipRange wholeRange() {
    Instant now = Instant.now();
    return new ClipRange(now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1)),
        TimestampType.PRODUCER);
  }

  @Test
  void putMedia_fixture_everyFragmentPersisted() {
    assertThat(upload.succeeded()).isTrue();
    assertThat(upload.fragmentsPersisted()).isEqualTo(Media.SECONDS);
    assertThat(upload.bytesSent()).isEqualTo(Media.h264Aac().toFile().length());
    assertThat(acks).filteredOn(a -> a.type() == AckEvent.Type.PERSISTED)
        .extracting(AckEvent::fragmentNumber)
        .containsExactlyElementsOf(fragments.stream().map(Fragment::fragmentNumber).toList());
    assertThat(upload.lastPersistedFragmentNumber())
        .isEqualTo(fragments.get(fragments.size() - 1).fragmentNumber());
  }

  @Test
  void putMedia_invalidMatroska_errorAckWithErrorId() {
    client.createStream("broken", 24);
    byte[] junk = new byte[4096];
    junk[0] = 0x1A; // EBML magic start, then nonsense
    PutMediaResult r = client.putMedia("broken", new ByteArrayInputStream(junk), null);
    assertThat(r.succeeded()).isFalse();
    assertThat(r.error().errorId()).isEqualTo(4006);
    assertThat(r.error().errorName()).isEqualTo("INVALID_MKV_DATA");
  }

  @Test
  void putMedia_unknownStream_throwsResourceNotFoundBeforeSending() throws Exception {
    InputStream body = new ByteArrayInputStream(new byte[100]);
    assertThatThrownBy(() -> client.putMedia("nope", body, null))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThat(body.available()).isEqualTo(100);
  }

  @Test
  void getClip_range_returnsMp4CutAtServerCap() throws Exception {
    ClipRange r = wholeRange();
    Path out = dataDir.resolve("one.mp4");
    try (ClipResult clip = client.getClip(STREAM, r.start(), r.end(), TimestampType.PRODUCER)) {
      assertThat(clip.contentType()).isEqualTo("video/mp4");
      Files.copy(clip.payload(), out);
    }
    assertThat(Media.frameHashes(out, "v"))
        .containsExactlyElementsOf(Media.frameHashes(Media.h264Aac(), "v").subList(0, 90));
  }

  @Test
  void getClip_unknownStream_throwsResourceNotFoundWithServerMessage() {
    ClipRange r = wholeRange();
    assertThatThrownBy(() -> client.getClip("missing", r.start(), r.end(), TimestampType.PRODUCER))
        .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(404);
          assertThat(e.getMessage()).isNotBlank();
          assertThat(e.errorCode()).isEqualTo("ResourceNotFoundException");
        });
  }

  @Test
  void getClip_noRetention_throwsNoDataRetention() {
    client.createStream("live-only", 0);
    ClipRange r = wholeRange();
    assertThatThrownBy(() -> client.getClip("live-only", r.start(), r.end(), TimestampType.PRODUCER))
        .isInstanceOf(NoDataRetentionException.class);
  }

  @Test
  void getClip_rangeOver24Hours_throwsInvalidArgumentFromServer() {
    Instant now = Instant.now();
    assertThatThrownBy(() -> client.getClip(STREAM, now.minus(Duration.ofHours(30)), now,
        TimestampType.PRODUCER))
        .isInstanceOfSatisfying(InvalidArgumentException.class,
            e -> assertThat(e.statusCode()).isEqualTo(400));
  }

  @Test
  void getClip_wrongSecret_raisesServerErrorCode() {
    try (FramekeepClient bad = client("WRONG")) {
      ClipRange r = wholeRange();
      assertThatThrownBy(() -> bad.getClip(STREAM, r.start(), r.end(), TimestampType.PRODUCER))
          .isInstanceOfSatisfying(KvsException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.errorCode()).isEqualTo("InvalidSignatureException");
          });
    }
  }

  @Test
  void getClip_twice_oneCachedEndpointPerStreamAndApi() throws Exception {
    try (FramekeepClient fresh = client("SECRETTEST")) {
      ClipRange r = wholeRange();
      for (int i = 0; i < 2; i++) {
        try (ClipResult clip = fresh.getClip(STREAM, r.start(), r.end(), TimestampType.PRODUCER)) {
          clip.payload().transferTo(OutputStream.nullOutputStream());
        }
      }
      assertThat(fresh.endpointCacheSize()).isEqualTo(1);
      fresh.listFragments(STREAM, r);
      assertThat(fresh.endpointCacheSize()).isEqualTo(2);
    }
  }

  @Test
  void listStreams_afterCreate_includesStream() {
    assertThat(client.listStreams()).extracting(StreamSummary::streamName).contains(STREAM);
    assertThat(client.describeStream(STREAM).dataRetentionInHours()).isEqualTo(24);
  }

  @Test
  void downloadClip_wholeStreamPiecesTruncatedByServer_framesEqualSource() throws Exception {
    Path out = dataDir.resolve("whole.mp4");
    ClipDownload d;
    try (OutputStream os = Files.newOutputStream(out)) {
      d = client.downloadClip(STREAM, wholeRange(), os);
    }
    assertThat(d.fragments()).isEqualTo(10);
    assertThat(d.refetches()).isPositive();
    assertThat(Media.decodeErrors(out)).isEmpty();
    assertThat(Media.frameHashes(out, "v"))
        .containsExactlyElementsOf(Media.frameHashes(Media.h264Aac(), "v"));
    // Audio stays in sync with video across piece boundaries (no drift).
    assertThat(Math.abs(Media.duration(out, "a") - Media.duration(out, "v"))).isLessThan(0.05);
  }

  @Test
  void downloadClip_piecesOfTwo_framesEqualSource() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<Integer> progress = new ArrayList<>();
    ClipDownload d = client.downloadClip(STREAM, wholeRange(), bytes,
        ClipDownloadOptions.defaults().withLimits(ClipLimits.awsDefaults().withMaxFragments(2))
            .withProgress((done, total, b) -> progress.add(done)));
    assertThat(d.pieces()).isEqualTo(5);
    assertThat(d.refetches()).isZero();
    assertThat(d.bytesWritten()).isEqualTo(bytes.size());
    assertThat(progress).containsExactly(2, 4, 6, 8, 10);
    Path out = dataDir.resolve("pairs.mp4");
    Files.write(out, bytes.toByteArray());
    assertThat(Media.frameHashes(out, "v"))
        .containsExactlyElementsOf(Media.frameHashes(Media.h264Aac(), "v"));
  }

  @Test
  void downloadClip_subRange_framesOfThoseFragmentsOnly() throws Exception {
    Instant start = fragments.get(2).producerTimestamp();
    Instant end = fragments.get(7).producerTimestamp();
    Path out = dataDir.resolve("middle.mp4");
    try (OutputStream os = Files.newOutputStream(out)) {
      client.downloadClip(STREAM, new ClipRange(start, end, TimestampType.PRODUCER), os);
    }
    assertThat(Media.frameHashes(out, "v"))
        .containsExactlyElementsOf(Media.frameHashes(Media.h264Aac(), "v").subList(60, 240));
  }

  @Test
  void downloadClip_emptyRange_throwsResourceNotFound() {
    Instant old = Instant.now().minus(Duration.ofDays(3));
    assertThatThrownBy(() -> client.downloadClip(STREAM,
        new ClipRange(old, old.plusSeconds(60), TimestampType.PRODUCER),
        OutputStream.nullOutputStream()))
        .isInstanceOf(ResourceNotFoundException.class);
  }
}
