package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framekeep.server.ServiceLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.GetClipResponse;

/**
 * The web console in a real browser: Debian's Chromium driven by playwright-core
 * ({@code console/test/browser.mjs}, one scenario per run, printing JSON) against an in-process
 * server with media uploaded through PutMedia. Screenshots of every page go to
 * {@code it/target/console-screenshots/}.
 *
 * <p>The server's GetClip cut-off is lowered to {@link #CUT_OFF_BYTES} (from AWS's 100 MB) so that
 * an export crossing it needs only a few MB of test media; the test shows GetClip being cut there.
 */
class ConsoleBrowserTest {
  /** 1 MiB instead of 100 MB: the 60-fragment export below is about 3 MB. */
  private static final long CUT_OFF_BYTES = 1L << 20;
  private static final String VIEWER_KEY = "VIEWER1";
  private static final String VIEWER_SECRET = "viewer-secret-for-the-console";
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.configured(c -> c
      .withPermissionsFile(writePermissions())
      .withLimits(ServiceLimits.awsDefaults().withClipCaps(200, CUT_OFF_BYTES)));

  /** Seconds of media per upload; 1 s fragments (30-frame GOPs at 30 fps). */
  private static final int PART_SECONDS = 40;
  /** The deliberate gap between the two uploads of the gap stream. */
  private static final long GAP_MS = 30_000;
  /** How long a browser scenario may take, launch included (a loaded CI machine is slow). */
  private static final long SCENARIO_TIMEOUT_S = 150;
  private static final Path CONSOLE_DIR = Path.of("..", "console").toAbsolutePath().normalize();
  private static final Path SCREENSHOTS = Path.of("target", "console-screenshots").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static KinesisVideoClient kv;
  private static Path media;
  /** The gap stream's fragments in producer-time order: 40 before the gap, 40 after. */
  private static List<Fragment> gapFragments;
  /** Producer start of the upload after the gap (RELATIVE timecodes count from it). */
  private static Instant secondUploadStart;

  private static Path writePermissions() {
    try {
      Path file = Files.createTempFile("framekeep-permissions-", ".json");
      file.toFile().deleteOnExit();
      Files.writeString(file, "{\"principals\": [{\"accessKeyId\": \"" + VIEWER_KEY + "\","
          + " \"secretAccessKey\": \"" + VIEWER_SECRET + "\", \"allow\": ["
          + "{\"actions\": [\"DescribeStream\", \"GetDataEndpoint\", \"GetCoverage\","
          + " \"ListFragments\", \"GetHLSStreamingSessionURL\", \"GetImages\", \"GetClip\"],"
          + " \"streams\": [\"gap-*\"]}, {\"actions\": [\"ListStreams\"]}]}]}");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeAll
  static void uploadGapStream() throws IOException {
    if (Files.isDirectory(SCREENSHOTS)) { // failure shots of an earlier run would mislead
      try (var old = Files.list(SCREENSHOTS)) {
        for (Path png : old.filter(f -> f.toString().endsWith("-failure.png")).toList()) {
          Files.delete(png);
        }
      }
    }
    kv = SERVER.kinesisVideo();
    media = TestMedia.h264Aac(PART_SECONDS, TestMedia.GOP_FRAMES);
    Streams.create(kv, "gap-cam", 24);
    Streams.create(kv, "other-cam", 24);
    Instant start = Instant.now().minusSeconds(300).truncatedTo(ChronoUnit.MILLIS);
    Streams.ingest(kv, "gap-cam", new ByteArrayInputStream(TestMedia.bytes(media)), start);
    secondUploadStart = start.plusMillis(PART_SECONDS * 1000L + GAP_MS);
    Streams.ingest(kv, "gap-cam", new ByteArrayInputStream(TestMedia.bytes(media)),
        secondUploadStart);
    KinesisVideoArchivedMediaClient am = SERVER.archivedMedia(
        Streams.dataEndpoint(kv, "gap-cam", APIName.LIST_FRAGMENTS));
    gapFragments = new ArrayList<>(Streams.listAll(am, "gap-cam", Streams.selector(
        FragmentSelectorType.PRODUCER_TIMESTAMP, start, Instant.now()), null));
    gapFragments.sort(Comparator.comparing(Fragment::producerTimestamp));
    assertThat(gapFragments).hasSize(2 * PART_SECONDS);
  }

  @Test
  void signIn_badSecretThenGoodSecret_errorThenStreamsListedAndSearchable() {
    JsonNode r = run(scenario("signin", InProcessServer.ACCESS_KEY_ID,
        InProcessServer.SECRET_ACCESS_KEY).put("wrongSecret", "not-the-secret").put("search", "gap"));
    assertThat(r.get("badError").asText()).startsWith("InvalidSignatureException: ");
    assertThat(r.get("rows").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(r.get("visibleAfterSearch").asInt()).isEqualTo(1);
    assertThat(r.get("storedKey").asText()).isEqualTo(InProcessServer.ACCESS_KEY_ID);
  }

  @Test
  void restrictedPrincipal_onlyPermittedActionsOfferedAndRefusalShownWithAwsMessage() {
    Fragment first = gapFragments.get(0);
    JsonNode r = run(scenario("restricted", VIEWER_KEY, VIEWER_SECRET)
        .put("stream", "gap-cam")
        .put("fromText", first.producerTimestamp().toString())
        .put("toText", first.producerTimestamp().plusSeconds(5).toString()));
    assertThat(r.get("rows").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(r.get("deleteButtons").asInt()).isZero();
    assertThat(r.get("retentionButtons").asInt()).isZero();
    assertThat(r.get("createVisible").asBoolean()).isFalse();
    assertThat(r.get("exportRefusal").asText()).contains("NotAuthorizedException");
    // No GetIngestRate grant: the column shows a dash, not a number or an error name.
    assertThat(r.get("rateCells")).isNotEmpty().allSatisfy(c -> assertThat(c.asText()).isEqualTo("—"));
    // GetHLSStreamingSessionURL granted, GetDASHStreamingSessionURL not: only HLS is offered.
    assertThat(r.get("dashOffered").asBoolean()).isFalse();
    // The admin sees the actions the viewer does not (the probes are not simply failing).
    JsonNode admin = run(scenario("restricted", InProcessServer.ACCESS_KEY_ID,
        InProcessServer.SECRET_ACCESS_KEY).put("stream", "gap-cam").put("shotName", "admin-actions"));
    assertThat(admin.get("deleteButtons").asInt()).isEqualTo(admin.get("rows").asInt());
    assertThat(admin.get("createVisible").asBoolean()).isTrue();
    assertThat(admin.get("rateCells")).allSatisfy(c -> assertThat(c.asText()).endsWith("/s"));
  }

  @Test
  void livePlayer_whilePacedUploadRuns_playsWithFramesAdvancingAndDelayUnderTenSeconds() {
    String stream = "live-cam";
    Streams.create(kv, stream, 24);
    GetMediaTest.PacedInputStream paced = new GetMediaTest.PacedInputStream(
        new ByteArrayInputStream(TestMedia.bytes(TestMedia.h264Aac(60, TestMedia.GOP_FRAMES))),
        8 * 1024, 150);
    try (PutMediaClient.Upload upload = Streams.startUpload(kv, stream, paced,
        Instant.now().truncatedTo(ChronoUnit.MILLIS))) {
      Streams.sleep(4_000); // a few fragments, so that LIVE has a playlist
      JsonNode r = run(scenario("live", InProcessServer.ACCESS_KEY_ID,
          InProcessServer.SECRET_ACCESS_KEY).put("stream", stream).put("watchMs", 4_000));
      assertThat(paced.exhausted()).as("the upload ran during the whole test").isFalse();
      JsonNode first = r.get("first");
      JsonNode second = r.get("second");
      assertThat(second.get("fatalErrors")).isEmpty();
      assertThat(second.get("mode").asText()).isEqualTo("LIVE");
      assertThat(second.get("currentTime").asDouble() - first.get("currentTime").asDouble())
          .as("seconds played in 4 s").isGreaterThan(2.0);
      assertThat(second.get("decodedFrames").asInt() - first.get("decodedFrames").asInt())
          .as("frames decoded in 4 s").isGreaterThan(60);
      assertThat(second.get("delayMs").asLong()).as("delay behind live, ms")
          .isPositive().isLessThan(10_000);
    }
  }

  @Test
  void dashPlayer_chosenWithTheKeyboardWhilePacedUploadRuns_playsWithFramesAdvancing() {
    String stream = "dash-cam";
    Streams.create(kv, stream, 24);
    GetMediaTest.PacedInputStream paced = pacedUpload();
    try (PutMediaClient.Upload upload = Streams.startUpload(kv, stream, paced,
        Instant.now().truncatedTo(ChronoUnit.MILLIS))) {
      Streams.sleep(4_000); // a few fragments, so that LIVE has a manifest
      JsonNode r = run(scenario("live", InProcessServer.ACCESS_KEY_ID,
          InProcessServer.SECRET_ACCESS_KEY).put("stream", stream).put("watchMs", 4_000)
          .put("protocol", "DASH"));
      assertThat(paced.exhausted()).as("the upload ran during the whole test").isFalse();
      JsonNode first = r.get("first");
      JsonNode second = r.get("second");
      assertThat(r.get("dashChecked").asBoolean()).isTrue();
      assertThat(second.get("fatalErrors")).isEmpty();
      assertThat(second.get("protocol").asText()).isEqualTo("DASH");
      assertThat(second.get("mode").asText()).isEqualTo("LIVE");
      // Looser than HLS's bar: on the cluster backend under load dash.js waits at the live edge
      // now and then (48 frames in 4 s seen), yet it plays on with no error.
      assertThat(second.get("currentTime").asDouble() - first.get("currentTime").asDouble())
          .as("seconds played in 4 s").isGreaterThan(1.2);
      assertThat(second.get("decodedFrames").asInt() - first.get("decodedFrames").asInt())
          .as("frames decoded in 4 s (30 fps source)").isGreaterThan(36);
    }
  }

  @Test
  void streamsPage_whilePacedUploadRuns_showsANonZeroIngestRateAndZeroForAnIdleStream() {
    String stream = "rate-cam";
    Streams.create(kv, stream, 24);
    GetMediaTest.PacedInputStream paced = pacedUpload();
    try (PutMediaClient.Upload upload = Streams.startUpload(kv, stream, paced,
        Instant.now().truncatedTo(ChronoUnit.MILLIS))) {
      Streams.sleep(3_000);
      JsonNode r = run(scenario("rate", InProcessServer.ACCESS_KEY_ID,
          InProcessServer.SECRET_ACCESS_KEY).put("stream", stream).put("idleStream", "other-cam"));
      assertThat(paced.exhausted()).as("the upload ran during the whole test").isFalse();
      List<String> header = new ArrayList<>();
      r.get("header").forEach(h -> header.add(h.asText()));
      assertThat(header).contains("Ingest rate");
      // The pace is 8 KiB per 150 ms (about 55 KB/s); over the 10 s window of GetIngestRate the
      // column shows its share of that, counted by committed fragments.
      assertThat(r.at("/shown/bytesPerSecond").asDouble()).isBetween(5_000.0, 120_000.0);
      assertThat(r.at("/shown/text").asText()).matches("[0-9.]+ (B|KiB)/s · [0-9.]+ frag/s");
      assertThat(r.get("refreshed").asText()).as("the column refreshes").endsWith("frag/s");
      assertThat(r.get("idle").asText()).isEqualTo("0 B/s");
    }
  }

  /** 60 s of media sent 8 KiB per 150 ms: about real time, for longer than any test here runs. */
  private static GetMediaTest.PacedInputStream pacedUpload() {
    return new GetMediaTest.PacedInputStream(
        new ByteArrayInputStream(TestMedia.bytes(TestMedia.h264Aac(60, TestMedia.GOP_FRAMES))),
        8 * 1024, 150);
  }

  @Test
  void timeline_streamWithThirtySecondGap_drawsTheGapAndClickAfterItPlaysFromThere() {
    long lastBeforeGapEndMs = gapFragments.get(PART_SECONDS - 1).producerTimestamp().toEpochMilli()
        + gapFragments.get(PART_SECONDS - 1).fragmentLengthInMilliseconds();
    long afterGapMs = gapFragments.get(PART_SECONDS).producerTimestamp().toEpochMilli();
    long gapMiddleMs = (lastBeforeGapEndMs + afterGapMs) / 2;
    long clickMs = afterGapMs + 5_500;
    ObjectNode config = scenario("timeline", InProcessServer.ACCESS_KEY_ID,
        InProcessServer.SECRET_ACCESS_KEY).put("stream", "gap-cam").put("clickMs", clickMs)
        .put("hoverMs", lastBeforeGapEndMs - 20_000);
    config.putArray("probesMs").add(lastBeforeGapEndMs - 10_000).add(gapMiddleMs)
        .add(afterGapMs + 10_000);
    JsonNode r = run(config);

    JsonNode spans = r.at("/drawn/spans");
    assertThat(spans).hasSize(2);
    assertThat(spans.get(0).get("endMs").asLong()).isEqualTo(lastBeforeGapEndMs);
    assertThat(spans.get(1).get("startMs").asLong()).isEqualTo(afterGapMs);
    assertThat(afterGapMs - lastBeforeGapEndMs).isBetween(GAP_MS - 1_000, GAP_MS + 1_000);
    JsonNode colours = r.at("/drawn/colours");
    String media = colours.get(Long.toString(lastBeforeGapEndMs - 10_000)).asText();
    assertThat(media).as("pixel over media").isEqualTo("46,133,64");
    assertThat(colours.get(Long.toString(afterGapMs + 10_000)).asText()).isEqualTo(media);
    assertThat(colours.get(Long.toString(gapMiddleMs)).asText()).as("pixel in the gap")
        .isEqualTo("217,217,222");

    assertThat(r.at("/thumbnail/jpeg").asBoolean()).isTrue();
    assertThat(r.at("/thumbnail/height").asInt()).as("GetImages HeightPixels").isEqualTo(90);
    assertThat(r.at("/thumbnail/width").asInt()).as("aspect kept, 320x240 source").isEqualTo(120);

    JsonNode second = r.get("second");
    assertThat(second.get("fatalErrors")).isEmpty();
    assertThat(second.get("mode").asText()).isEqualTo("LIVE_REPLAY");
    long playing = r.at("/first/playingDateMs").asLong();
    assertThat(playing).as("replay starts at the first fragment at or after the click")
        .isBetween(clickMs, clickMs + 1_100);
    assertThat(second.get("currentTime").asDouble()).isGreaterThan(
        r.at("/first/currentTime").asDouble() + 1.0);
  }

  /**
   * The export stays on one side of the gap: GetClip's MP4 across a producer-time gap does not
   * decode whole (found with this test; reported, not the console's to fix), and the export is
   * GetClip without the cut-off.
   */
  @Test
  void export_rangeCrossingTheCutOff_downloadsOneMp4WithTheSourceFrames() throws Exception {
    int firstIndex = PART_SECONDS + 5;
    int lastIndex = 2 * PART_SECONDS - 1; // fragments 5..39 of the upload after the gap
    Instant from = gapFragments.get(firstIndex).producerTimestamp().minusMillis(200);
    Instant to = gapFragments.get(lastIndex).producerTimestamp().plusMillis(200);
    Path saved = Files.createTempFile("framekeep-export-", ".mp4");
    Path exact = Files.createTempFile("framekeep-export-exact-", ".mp4");
    // Exact: source video frames 165..314 of the upload after the gap; frame k is presented at
    // that upload's producer start + k / 30 s (a fragment's own timestamp is its earliest frame,
    // often audio, so it is not the reference), and 5.5 s and 10.5 s fall on frames exactly.
    Instant exactFrom = secondUploadStart.plusMillis(165 * 1000 / TestMedia.VIDEO_FRAMES_PER_SECOND);
    Instant exactTo = secondUploadStart.plusMillis(315 * 1000 / TestMedia.VIDEO_FRAMES_PER_SECOND);
    try {
      ObjectNode config = scenario("export", InProcessServer.ACCESS_KEY_ID,
          InProcessServer.SECRET_ACCESS_KEY).put("stream", "gap-cam")
          .put("fromText", from.toString()).put("toText", to.toString())
          .put("trim", "fragments").put("savePath", saved.toString());
      config.putObject("exact").put("fromText", exactFrom.toString())
          .put("toText", exactTo.toString()).put("savePath", exact.toString());
      JsonNode r = run(config);
      assertThat(r.get("listed").asInt()).as("fragment list rows").isEqualTo(35);
      assertThat(r.get("fileName").asText()).startsWith("gap-cam_").endsWith(".mp4")
          .contains(compactUtc(from));
      assertThat(Files.size(saved)).as("export size").isGreaterThan(CUT_OFF_BYTES);

      List<String> source = Ffmpeg.hashes(Ffmpeg.videoFrames(media));
      List<String> expected = source.subList((firstIndex - PART_SECONDS) * TestMedia.GOP_FRAMES,
          PART_SECONDS * TestMedia.GOP_FRAMES);
      List<String> exported = Ffmpeg.hashes(Ffmpeg.videoFrames(saved));
      MediaAsserts.assertFramesEqualSource(exported, expected, 0, expected.size());

      // The same range through GetClip stops at the (lowered) cut-off: the export crossed it.
      KinesisVideoArchivedMediaClient am = SERVER.archivedMedia(
          Streams.dataEndpoint(kv, "gap-cam", APIName.GET_CLIP));
      ResponseBytes<GetClipResponse> clip = am.getClipAsBytes(c -> c.streamName("gap-cam")
          .clipFragmentSelector(s -> s.fragmentSelectorType(ClipFragmentSelectorType.PRODUCER_TIMESTAMP)
              .timestampRange(t -> t.startTimestamp(from).endTimestamp(to))));
      assertThat((long) clip.asByteArray().length).isLessThan(Files.size(saved));

      assertThat(r.get("exactFileName").asText()).endsWith("_exact.mp4");
      List<String> trimmed = Ffmpeg.hashes(Ffmpeg.videoFrames(exact));
      MediaAsserts.assertFramesEqualSource(trimmed, source, 165, 150);
    } finally {
      Files.deleteIfExists(saved);
      Files.deleteIfExists(exact);
    }
  }

  @Test
  void phoneSizedScreen_noHorizontalScrollAndKeyboardReachesPlayerAndTimeline() {
    JsonNode r = run(scenario("phone", InProcessServer.ACCESS_KEY_ID,
        InProcessServer.SECRET_ACCESS_KEY).put("stream", "gap-cam").put("phone", true));
    assertThat(r.get("scrollWidth").asInt()).as("page width at 390 px").isLessThanOrEqualTo(390);
    assertThat(r.get("streamsScrollWidth").asInt()).as("streams page width at 390 px")
        .isLessThanOrEqualTo(390);
    List<String> focused = new ArrayList<>();
    r.get("focused").forEach(n -> focused.add(n.asText()));
    assertThat(focused).contains("HLS", "Watch live", "Zoom in")
        .anyMatch(f -> f.startsWith("Coverage timeline"));
  }

  private static String compactUtc(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString().replace("-", "").replace(":", "");
  }

  private static ObjectNode scenario(String name, String accessKeyId, String secret) {
    return scenario(SERVER, name, accessKeyId, secret);
  }

  /** A scenario's configuration against {@code server}; add the scenario's own members. */
  static ObjectNode scenario(InProcessServer server, String name, String accessKeyId,
      String secret) {
    return JSON.createObjectNode().put("scenario", name).put("baseUrl", server.baseUrl())
        .put("accessKeyId", accessKeyId).put("secret", secret)
        .put("screenshotDir", SCREENSHOTS.toString());
  }

  /** Runs one browser scenario; fails with its error (and its screenshot name) if it failed. */
  static JsonNode run(ObjectNode config) {
    return run("test/browser.mjs", config);
  }

  /**
   * Runs a driver script of {@code console/} ({@code test/browser.mjs}: Chromium,
   * {@code test/firefox.mjs}: Firefox) with {@code config}; fails with its error if it failed.
   */
  static JsonNode run(String script, ObjectNode config) {
    try {
      Process p = new ProcessBuilder("node", script, JSON.writeValueAsString(config))
          .directory(CONSOLE_DIR.toFile()).start();
      p.getOutputStream().close();
      CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
      String stdout = drain(p.getInputStream());
      if (!p.waitFor(SCENARIO_TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("browser scenario " + config.get("scenario") + " timed out");
      }
      assertThat(p.exitValue()).as("node exit; stderr: %s", stderr.join()).isZero();
      JsonNode result = JSON.readTree(stdout);
      assertThat(result.get("ok").asBoolean()).as("scenario %s: %s (screenshots in %s)",
          config.get("scenario"), result.path("error").asText(), SCREENSHOTS).isTrue();
      assertThat(result.get("pageErrors")).as("uncaught errors in the page").isEmpty();
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String drain(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
