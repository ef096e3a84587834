package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.framekeep.cli.FramekeepCommand;
import io.framekeep.it.CodecMedia.Audio;
import io.framekeep.it.CodecMedia.Video;
import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.StorageBackend;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideo.model.StreamInfo;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;

/**
 * {@code framekeep migrate} from an embedded archive into a cluster (real PostgreSQL and S3Proxy): an embedded
 * server archives two streams (H.264+AAC with a gap between its uploads, H.264 only), is stopped, the archive
 * is migrated, and a server on the cluster must list the same fragments (numbers, timestamps, lengths, sizes),
 * describe the same streams and tags, and serve GetClip byte-identical to the embedded server's for the whole of
 * each stream and for ranges inside and across the gap. Reruns copy nothing; a run after an interruption
 * copies exactly what is missing; a different stream of the same name is refused.
 *
 * <p>Runs only with the cluster switch ({@code -Dframekeep.storage=cluster}); skipped otherwise.
 */
class MigrateTest {
  private static final String AV_STREAM = "migrate-h264-aac";
  private static final String VIDEO_STREAM = "migrate-h264";
  /** Second upload of the audio+video stream starts this long after the first: a gap of 56 s. */
  private static final long GAP_UPLOAD_OFFSET_S = 60;
  /** A window wide enough for every fragment of both streams. */
  private static final long WHOLE_WINDOW_S = 120;

  private static final List<SdkClient> CLIENTS = new ArrayList<>();
  private static final List<Path> DIRS = new ArrayList<>();
  private static Map<String, String> clusterSettings;
  private static Instant producerStart;
  private static Path archive;
  private static final Map<String, List<Fragment>> EMBEDDED_FRAGMENTS = new LinkedHashMap<>();
  private static final Map<String, StreamInfo> EMBEDDED_INFO = new LinkedHashMap<>();
  private static final Map<String, Map<String, String>> EMBEDDED_TAGS = new LinkedHashMap<>();
  private static final Map<String, byte[]> EMBEDDED_CLIPS = new LinkedHashMap<>();
  private static String firstRunOutput;

  @BeforeAll
  static void archiveAndMigrate() throws Exception {
    assumeTrue(ClusterUnderTest.backend() == StorageBackend.CLUSTER,
        "migrate runs with -D" + ClusterUnderTest.PROPERTY + "=cluster");
    clusterSettings = ClusterUnderTest.freshNodeSettings();
    archive = tempDir("framekeep-it-migrate-archive-");
    producerStart = Instant.now().minusSeconds(300).truncatedTo(ChronoUnit.MILLIS);
    try (FramekeepServer embedded = embeddedServer(archive)) {
      KinesisVideoClient kv = kinesisVideo(embedded);
      create(kv, AV_STREAM, "video/h264,audio/aac", Map.of("site", "north", "camera", "7"));
      create(kv, VIDEO_STREAM, "video/h264", Map.of("site", "south"));
      byte[] av = CodecMedia.bytes(Video.H264, Audio.AAC);
      byte[] video = CodecMedia.bytes(Video.H264, Audio.NONE);
      Streams.ingest(kv, AV_STREAM, new ByteArrayInputStream(av), producerStart);
      Streams.ingest(kv, AV_STREAM, new ByteArrayInputStream(av),
          producerStart.plusSeconds(GAP_UPLOAD_OFFSET_S));
      Streams.ingest(kv, VIDEO_STREAM, new ByteArrayInputStream(video), producerStart);
      Streams.ingest(kv, VIDEO_STREAM, new ByteArrayInputStream(video),
          producerStart.plusSeconds(CodecMedia.DURATION_SECONDS));
      for (String stream : List.of(AV_STREAM, VIDEO_STREAM)) {
        EMBEDDED_FRAGMENTS.put(stream, fragments(kv, stream));
        EMBEDDED_INFO.put(stream, kv.describeStream(r -> r.streamName(stream)).streamInfo());
        EMBEDDED_TAGS.put(stream, kv.listTagsForStream(r -> r.streamName(stream)).tags());
        for (Map.Entry<String, long[]> range : clipRanges().entrySet()) {
          EMBEDDED_CLIPS.put(stream + range.getKey(), clip(kv, stream, range.getValue()));
        }
      }
    }
    firstRunOutput = migrate(archive, 0);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    CLIENTS.forEach(SdkClient::close);
    for (Path dir : DIRS) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void migrate_embeddedArchive_clusterListsSameFragmentsAndServesIdenticalClips() throws Exception {
    long total = EMBEDDED_FRAGMENTS.values().stream().mapToLong(List::size).sum();
    assertThat(firstRunOutput).contains("done: 2 streams, " + total + " fragments copied (0 already there)");
    try (FramekeepServer onCluster = clusterServer()) {
      KinesisVideoClient kv = kinesisVideo(onCluster);
      for (String stream : List.of(AV_STREAM, VIDEO_STREAM)) {
        List<Fragment> embedded = EMBEDDED_FRAGMENTS.get(stream);
        assertThat(embedded).as("fragments of %s", stream).hasSizeGreaterThanOrEqualTo(4);
        assertThat(fragments(kv, stream)).as("fragments of %s on the cluster", stream).isEqualTo(embedded);
        assertThat(kv.describeStream(r -> r.streamName(stream)).streamInfo()).isEqualTo(EMBEDDED_INFO.get(stream));
        assertThat(kv.listTagsForStream(r -> r.streamName(stream)).tags()).isEqualTo(EMBEDDED_TAGS.get(stream));
        for (Map.Entry<String, long[]> range : clipRanges().entrySet()) {
          byte[] expected = EMBEDDED_CLIPS.get(stream + range.getKey());
          assertThat(expected).as("embedded clip %s of %s", range.getKey(), stream).hasSizeGreaterThan(10_000);
          assertThat(clip(kv, stream, range.getValue())).as("clip %s of %s", range.getKey(), stream)
              .isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void migrate_rerunAfterCompleteRun_copiesNothing() throws Exception {
    long total = EMBEDDED_FRAGMENTS.values().stream().mapToLong(List::size).sum();

    String output = migrate(archive, 0);

    assertThat(output).contains("done: 2 streams, 0 fragments copied (" + total + " already there)");
    assertThat(objectCount()).as("objects in the cluster").isEqualTo(2);
  }

  @Test
  void migrate_rerunAfterInterruptionBeforeSecondStreamsFragments_copiesExactlyThose() throws Exception {
    long videoFragments = EMBEDDED_FRAGMENTS.get(VIDEO_STREAM).size();
    long avFragments = EMBEDDED_FRAGMENTS.get(AV_STREAM).size();
    // The state a run killed after creating the second stream and before committing its object leaves.
    sql("DELETE FROM fragments WHERE stream_id = (SELECT stream_id FROM streams WHERE name = ?)", VIDEO_STREAM);
    sql("DELETE FROM objects WHERE stream_id = (SELECT stream_id FROM streams WHERE name = ?)", VIDEO_STREAM);
    sql("UPDATE streams SET last_sequence = 0 WHERE name = ?", VIDEO_STREAM);

    String output = migrate(archive, 0);

    assertThat(output).contains("stream " + VIDEO_STREAM + ": " + videoFragments + " fragments copied, 0 already")
        .contains("stream " + AV_STREAM + ": 0 fragments copied, " + avFragments + " already there");
    try (FramekeepServer onCluster = clusterServer()) {
      KinesisVideoClient kv = kinesisVideo(onCluster);
      assertThat(fragments(kv, VIDEO_STREAM)).isEqualTo(EMBEDDED_FRAGMENTS.get(VIDEO_STREAM));
      long[] whole = clipRanges().get("whole");
      assertThat(clip(kv, VIDEO_STREAM, whole)).isEqualTo(EMBEDDED_CLIPS.get(VIDEO_STREAM + "whole"));
    }
  }

  @Test
  void migrate_otherArchiveWithStreamOfSameName_refusedAndClusterUnchanged() throws Exception {
    Path other = tempDir("framekeep-it-migrate-other-");
    try (FramekeepServer embedded = embeddedServer(other)) {
      create(kinesisVideo(embedded), VIDEO_STREAM, "video/h264", Map.of("site", "south"));
    }

    String output = migrate(other, 1);

    assertThat(output).contains("different stream named " + VIDEO_STREAM);
    try (FramekeepServer onCluster = clusterServer()) {
      KinesisVideoClient kv = kinesisVideo(onCluster);
      assertThat(kv.describeStream(r -> r.streamName(VIDEO_STREAM)).streamInfo().streamARN())
          .isEqualTo(EMBEDDED_INFO.get(VIDEO_STREAM).streamARN());
      assertThat(fragments(kv, VIDEO_STREAM)).isEqualTo(EMBEDDED_FRAGMENTS.get(VIDEO_STREAM));
    }
  }

  /** Clip windows, seconds from {@link #producerStart}: the whole, one inside an upload, one across the gap. */
  private static Map<String, long[]> clipRanges() {
    Map<String, long[]> ranges = new LinkedHashMap<>();
    ranges.put("whole", new long[] {-1, WHOLE_WINDOW_S});
    ranges.put("inside", new long[] {1, 3});
    ranges.put("across", new long[] {2, GAP_UPLOAD_OFFSET_S + 2});
    return ranges;
  }

  /** Runs {@code framekeep migrate} in this JVM; returns its stderr after checking the exit code. */
  private static String migrate(Path dataDir, int expectedExit) {
    List<String> args = new ArrayList<>(List.of("migrate", "--data-dir", dataDir.toString()));
    clusterSettings.forEach((flag, value) -> args.add("--" + flag + "=" + value));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    int exit;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      exit = new CommandLine(new FramekeepCommand()).execute(args.toArray(String[]::new));
    } finally {
      System.setErr(saved);
    }
    String output = err.toString(StandardCharsets.UTF_8);
    saved.print(output);
    assertThat(exit).as("exit code; stderr: %s", output).isEqualTo(expectedExit);
    return output;
  }

  private static long objectCount() throws Exception {
    try (Connection c = DriverManager.getConnection(clusterSettings.get("database-url"));
        var rows = c.createStatement().executeQuery("SELECT COUNT(*) FROM objects")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static void sql(String statement, String parameter) throws Exception {
    try (Connection c = DriverManager.getConnection(clusterSettings.get("database-url"));
        PreparedStatement s = c.prepareStatement(statement)) {
      s.setString(1, parameter);
      s.executeUpdate();
    }
  }

  private static void create(KinesisVideoClient kv, String name, String mediaType, Map<String, String> tags) {
    kv.createStream(r -> r.streamName(name).dataRetentionInHours(24).mediaType(mediaType).tags(tags));
    Streams.awaitActive(kv, name);
  }

  private static List<Fragment> fragments(KinesisVideoClient kv, String stream) {
    List<Fragment> all = new ArrayList<>(Streams.listAll(archived(kv, stream, APIName.LIST_FRAGMENTS), stream,
        Streams.selector(FragmentSelectorType.PRODUCER_TIMESTAMP, producerStart.minusSeconds(1),
            producerStart.plusSeconds(WHOLE_WINDOW_S)), null));
    all.sort(Comparator.comparing(Fragment::producerTimestamp).thenComparing(Fragment::fragmentNumber));
    return all;
  }

  private static byte[] clip(KinesisVideoClient kv, String stream, long[] windowS) throws Exception {
    try (ResponseInputStream<?> in = archived(kv, stream, APIName.GET_CLIP).getClip(r -> r
        .streamName(stream).clipFragmentSelector(s -> s
            .fragmentSelectorType(ClipFragmentSelectorType.PRODUCER_TIMESTAMP)
            .timestampRange(t -> t.startTimestamp(producerStart.plusSeconds(windowS[0]))
                .endTimestamp(producerStart.plusSeconds(windowS[1])))))) {
      return in.readAllBytes();
    }
  }

  private static FramekeepServer embeddedServer(Path dataDir) throws Exception {
    return FramekeepServer.start(ServerConfig.defaults(dataDir).withPort(0)
        .withCredential(InProcessServer.ACCESS_KEY_ID, InProcessServer.SECRET_ACCESS_KEY),
        StorageBackend.EMBEDDED);
  }

  private static FramekeepServer clusterServer() throws Exception {
    return FramekeepServer.start(ServerConfig.defaults(tempDir("framekeep-it-migrate-node-")).withPort(0)
        .withCredential(InProcessServer.ACCESS_KEY_ID, InProcessServer.SECRET_ACCESS_KEY)
        .withStorageSettings(clusterSettings), StorageBackend.CLUSTER);
  }

  private static Path tempDir(String prefix) throws Exception {
    Path dir = Files.createTempDirectory(prefix);
    DIRS.add(dir);
    return dir;
  }

  private static KinesisVideoClient kinesisVideo(FramekeepServer server) {
    KinesisVideoClient client = TestClients.build(KinesisVideoClient.builder(), URI.create(server.baseUrl()),
        UrlConnectionHttpClient.create());
    CLIENTS.add(client);
    return client;
  }

  private static KinesisVideoArchivedMediaClient archived(KinesisVideoClient kv, String stream, APIName api) {
    KinesisVideoArchivedMediaClient client = TestClients.build(KinesisVideoArchivedMediaClient.builder(),
        Streams.dataEndpoint(kv, stream, api), UrlConnectionHttpClient.create());
    CLIENTS.add(client);
    return client;
  }
}
