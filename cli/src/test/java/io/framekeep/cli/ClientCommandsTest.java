package io.framekeep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.ServiceLimits;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * put, clip and ls run as the {@code framekeep} command would, against an in-process server whose
 * GetClip stops at 4 fragments (so clip must join pieces). Credentials come from the default AWS
 * chain (system properties here). The server's clock stands still until the server-time clip,
 * so every fragment of the first upload arrives in the same millisecond: the extreme of an upload
 * faster than real time, made deterministic. AWS's per-stream rates are off: they are measured on
 * the server's clock, which stands still here, so a paced upload would never finish.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientCommandsTest {
  static final HeldClock SERVER_CLOCK = new HeldClock();
  @TempDir static Path dir;
  static FramekeepServer server;
  static Path mkv;

  record Run(int exit, String out, String err) {}

  /**
   * The system clock held at the instant it was made until {@link #release}, then running. Held
   * for seconds only, well inside the 15 minutes SigV4 allows; released before a SERVER_TIMESTAMP
   * GetClip, whose end must not be after the server's now. Thread-safe.
   */
  static final class HeldClock extends Clock {
    private volatile Instant held = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    void release() {
      held = null;
    }

    @Override
    public Instant instant() {
      Instant h = held;
      return h != null ? h : Instant.now();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("UTC only");
    }
  }

  @BeforeAll
  static void start() throws Exception {
    server = FramekeepServer.start(ServerConfig.defaults(dir.resolve("data")).withPort(0)
        .withCredential("FKIATESTKEY", "testsecret")
        .withClock(SERVER_CLOCK)
        .withLimits(ServiceLimits.awsDefaults().withClipCaps(4, 100L * 1024 * 1024)
            .withFragmentQuotas(false, ServiceLimits.awsDefaults().metadataPointsPerSecond(),
                ServiceLimits.awsDefaults().mediaPointsPerSecond())));
    System.setProperty("aws.accessKeyId", "FKIATESTKEY");
    System.setProperty("aws.secretAccessKey", "testsecret");
    mkv = dir.resolve("in.mkv");
    Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
        "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i",
        "sine=frequency=440:sample_rate=48000", "-t", "10", "-c:v", "libx264", "-preset",
        "veryfast", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0", "-bf", "2", "-c:a",
        "aac", "-b:a", "64k", "-f", "matroska", "-live", "1", "-cluster_size_limit", "50000000",
        "-cluster_time_limit", "10000", mkv.toString()).inheritIO().start();
    assertThat(p.waitFor()).isZero();
  }

  @AfterAll
  static void stop() throws Exception {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    server.close();
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new FramekeepCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of(args));
    if (all.size() > 0 && !all.contains("--help")) {
      all.add(1, "--endpoint");
      all.add(2, server.baseUrl());
    }
    int exit = cl.execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  static List<String> videoHashes(Path file) throws Exception {
    Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-i", file.toString(),
        "-map", "0:v:0", "-fps_mode", "passthrough", "-f", "framemd5", "-").start();
    String text = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).isZero();
    return text.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
        .map(l -> l.substring(l.lastIndexOf(',') + 1).trim()).toList();
  }

  @Test
  @Order(1)
  void put_fileWithCreate_persistsAndExitsZero() {
    Run r = run("put", "--stream", "cam1", "--create", mkv.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("Persisted 10 fragments");
    assertThat(r.err()).contains("Created stream cam1").contains("10 fragments persisted")
        .contains("MB/s");
  }

  @Test
  @Order(2)
  void ls_streamsAndFragments_tableAndJson() throws Exception {
    Run streams = run("ls");
    assertThat(streams.exit()).isZero();
    assertThat(streams.out()).contains("NAME").contains("cam1").contains("24h");
    Run frags = run("ls", "--stream", "cam1", "--start", "now-1h", "--end",
        String.valueOf(Instant.now().plusSeconds(3600).getEpochSecond()), "--json");
    assertThat(frags.exit()).as(frags.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(frags.out());
    assertThat(json).hasSize(10);
    assertThat(json.get(0).get("FragmentNumber").asText()).isNotBlank();
    Run table = run("ls", "--stream", "cam1", "--server-time");
    assertThat(table.out().lines()).hasSize(11);
  }

  @Test
  @Order(3)
  void clip_wholeRangeOverServerCap_joinsToSourceFrames() throws Exception {
    Path out = dir.resolve("clip.mp4");
    Run r = run("clip", "--stream", "cam1", "--start", "now-1h", "--end",
        String.valueOf(Instant.now().plusSeconds(3600).getEpochSecond()), "-o", out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("10 fragments");
    assertThat(videoHashes(out)).containsExactlyElementsOf(videoHashes(mkv));
    assertThat(Files.exists(dir.resolve("clip.mp4.partial"))).isFalse();
  }

  @Test
  @Order(4)
  void clip_serverTimeIsoRange_writesClip() throws Exception {
    SERVER_CLOCK.release();
    Path out = dir.resolve("server.mp4");
    Run r = run("clip", "--stream", "cam1", "--server-time", "--start",
        Instant.now().minusSeconds(3600).toString(), "--end", "now", "-o", out.toString());
    // All ten fragments arrived in one millisecond of server time; each still has its own
    // server timestamp, so the pieces under the 4-fragment cap hold every fragment exactly once.
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains("10 fragments");
    List<String> source = videoHashes(mkv);
    assertThat(source).hasSize(300);
    assertThat(videoHashes(out)).containsExactlyElementsOf(source);
  }

  @Test
  @Order(5)
  void put_invalidMedia_exit3WithErrorId() throws Exception {
    Path junk = dir.resolve("junk.mkv");
    Files.write(junk, new byte[] {0x1A, 0x45, 0x00, 0x00, 0x01, 0x02, 0x03});
    Run r = run("put", "--stream", "cam1", junk.toString());
    assertThat(r.exit()).isEqualTo(CliSupport.EXIT_ERROR_ACK);
    assertThat(r.err()).contains("ErrorId 4006").contains("INVALID_MKV_DATA");
  }

  @Test
  @Order(6)
  void errors_unknownStreamAndBadUsage_exitCodes() {
    Run missing = run("clip", "--stream", "nope", "--start", "now-1h", "--end", "now", "-o",
        dir.resolve("x.mp4").toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("ResourceNotFoundException");
    assertThat(run("clip", "--stream", "cam1", "--start", "yesterday", "--end", "now", "-o",
        "x.mp4").exit()).isEqualTo(2);
    assertThat(run("clip", "--stream", "cam1").exit()).isEqualTo(2);
    assertThat(run("put", "--stream", "bad name!", mkv.toString()).exit()).isEqualTo(2);
    assertThat(run("ls", "--stream", "nope").exit()).isEqualTo(1);
  }

  /**
   * The README walk-through with a file: {@code put FILE} sends 150 s of media in seconds, so its
   * producer timestamps run up to 150 s ahead of now; {@code ls} and {@code clip} without a range
   * must still cover all of it.
   */
  @Test
  @Order(7)
  void put_fileOf150Fragments_lsAndClipWithoutRangeCoverEveryFragmentAndFrame() throws Exception {
    Path file = dir.resolve("150.mkv");
    Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
        "testsrc2=size=160x120:rate=30", "-t", "150", "-c:v", "libx264", "-preset", "ultrafast",
        "-g", "30", "-keyint_min", "30", "-sc_threshold", "0", "-f", "matroska", "-live", "1",
        "-cluster_size_limit", "50000000", "-cluster_time_limit", "10000", file.toString())
        .inheritIO().start();
    assertThat(p.waitFor()).isZero();
    Run put = run("put", "--stream", "file150", "--create", file.toString());
    assertThat(put.exit()).as(put.err()).isZero();
    assertThat(put.out()).contains("Persisted 150 fragments");

    Run ls = run("ls", "--stream", "file150", "--json");
    assertThat(ls.exit()).as(ls.err()).isZero();
    assertThat(new ObjectMapper().readTree(ls.out())).hasSize(150);
    assertThat(run("ls", "--stream", "file150").out().lines()).as("header + 150 rows")
        .hasSize(151);

    Path out = dir.resolve("150.mp4");
    Run clip = run("clip", "--stream", "file150", "-o", out.toString());
    assertThat(clip.exit()).as(clip.err()).isZero();
    assertThat(clip.err()).contains("150 fragments");
    List<String> source = videoHashes(file);
    assertThat(source).hasSize(150 * 30);
    assertThat(videoHashes(out)).containsExactlyElementsOf(source);
  }

  @Test
  void help_eachCommand_documentsExitCodes() {
    for (String cmd : List.of("put", "clip", "ls")) {
      Run r = run(cmd, "--help");
      assertThat(r.exit()).isZero();
      assertThat(r.out()).contains("Exit codes:").contains("--endpoint").contains("--profile");
    }
    for (String cmd : List.of("clip", "ls")) {
      assertThat(run(cmd, "--help").out()).as(cmd).contains("the whole stream");
    }
  }

  @Test
  void parseTime_formats_sameInstant() {
    Clock clock = Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC);
    assertThat(CliSupport.parseTime("2024-05-01T09:50:00Z", clock))
        .isEqualTo(CliSupport.parseTime("now-10m", clock))
        .isEqualTo(CliSupport.parseTime("1714557000", clock));
    assertThat(CliSupport.parseTime("1714557000.250", clock))
        .isEqualTo(Instant.parse("2024-05-01T09:50:00.250Z"));
    assertThat(CliSupport.parseTime("2024-05-01T12:00:00+02:00", clock))
        .isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
  }
}
