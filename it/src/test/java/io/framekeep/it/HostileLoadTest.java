package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.GetClipResponse;

/**
 * No client can take the server down: a server JVM with {@code -Xmx512m} (a process of its own, so
 * its RSS is measured and its death would be seen) under, all at once, PutMedia uploads that never
 * read their acks, lacing bombs (a million 1-byte frames in one open cluster, then a byte every
 * 3 s), uploads of 3.9 MB headers (three 1.3 MB CodecPrivate) trickling a byte every 3 s, idle
 * connections and slow JSON bodies of 256 KiB (the most the server buffers before a valid
 * signature) under a forged signature, while a legitimate real-time PutMedia, a GetClip loop and
 * a {@code GET /health} prober run. The server runs with {@code --no-quotas}, so AWS's per-stream
 * rates do not slow the attackers down: the memory budget and the ack backlog alone must hold.
 *
 * <p>Short form (CI, about 80 s): 20 of each, 40 s of legitimate upload. Long form, the numbers of
 * the original report: {@code mvn -B -o -pl it -am -Dtest=HostileLoadTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dhostile.long=true verify} (100 never-read uploads, 50
 * lacing bombs, 50 big headers, 2,000 idle connections, 700 slow forged-signature bodies, 300 s), or any
 * counts with {@code -Dhostile.counts=...} ({@link #scale()}). The idle and unsigned counts depend
 * on the HTTP layer's timeouts, connection cap and early authentication of JSON bodies; see
 * BENCHMARKS.md for what each form showed.
 */
class HostileLoadTest {
  /** Counts of each kind of client, and how long the legitimate upload lasts. */
  record Scale(int unreadAcks, int lacingBombs, int bigHeaders, int idle, int slowUnsigned,
      int legitSeconds) {}

  static final Scale SHORT = new Scale(20, 20, 20, 20, 20, 40);
  static final Scale LONG = new Scale(100, 50, 50, 2_000, 700, 300);
  static final String HEAP = "512m";
  /** The default memory budget of a 512 MiB heap: a quarter of it. */
  static final double BUDGET_MIB = 128;
  /**
   * What the JVM holds beside its heap and the budget's direct buffers: metaspace and code (about
   * 100 MiB here), a stack per thread, Netty's pooled direct arenas (they keep their chunks after
   * the buffers in them are released), and per connection one socket read past the budget.
   */
  static final double JVM_OVERHEAD_MIB = 384;
  /** 1024 MiB: the heap, the budget (bodies waiting are direct memory), the JVM's overhead. */
  static final double RSS_BOUND_MIB = 512 + BUDGET_MIB + JVM_OVERHEAD_MIB;
  /**
   * The target: every /health within 100 ms. Probed from a small JVM of its own ({@link
   * HealthProbeProcess}), so the test JVM's attacker threads do not delay the measuring. Each answer
   * is split into the server's share (from accepting the connection to writing the answer, its
   * {@code Server-Timing}) and the rest, and from the server's share is taken what its threads on
   * the probe's path spent runnable but waiting for a CPU (Linux schedstat): the machine's delay,
   * not the code's. What remains, the server's own doing (other connections' work on the loop, GC
   * pauses, safepoints, a cold code path), is held to 100 ms at the 99th percentile and to {@link
   * #HEALTH_SERVER_STALL_MS} for every answer; the median of the whole answer to 100 ms, and every
   * whole answer to {@link #HEALTH_STARVED_MS}. With {@code -Dhostile.strictHealth=true} every
   * answer, whole and server's own, is held to 100 ms: that needs a machine not shared with other
   * work, where neither the prober nor the server's threads wait long for a CPU (BENCHMARKS.md: with
   * the attackers at nice 10 it held on an otherwise idle 2-core machine, largest answer 61 ms at
   * the report's counts; at load average 15-33 the prober alone waited up to 575 ms).
   */
  static final long HEALTH_BOUND_MS = 100;
  /**
   * A stall of the server: five times the largest own share of a single answer seen at load average
   * 15-33 (98 ms); the cold first connection before the pipeline was warmed up took 1.6 s.
   */
  static final long HEALTH_SERVER_STALL_MS = 500;
  /** An answer slower than this means the server stopped serving, not that the machine is busy. */
  static final long HEALTH_STARVED_MS = 5_000;
  private static final long HEALTH_PERIOD_MS = 100;
  private static final long CLIP_PERIOD_MS = 3_000;
  private static final long TRICKLE_PERIOD_MS = 3_000;
  /** Just under the 4 MiB header limit with three tracks. */
  private static final int BIG_CODEC_PRIVATE_BYTES = 1_300_000;
  /**
   * The most a connection without a valid signature may make the server buffer: a body declared
   * any larger (the report's 1 MB) is refused from its head, unread, so this is the worst case.
   */
  private static final int UNSIGNED_BODY_BYTES =
      io.framekeep.server.http.ConnectionLimits.DEFAULT_MAX_UNAUTHENTICATED_JSON_BODY_BYTES;

  @TempDir Path tmp;

  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile double peakRssMiB;
  /** The {@link HealthProbeProcess}, once started. */
  private volatile Process prober;

  @Test
  void server512m_hostileAndLegitimateClients_noOomHealthFastUploadPersistedClipsIdentical()
      throws Exception {
    Scale scale = scale();
    Path source = TestMedia.h264Aac(scale.legitSeconds(), TestMedia.VIDEO_FRAMES_PER_SECOND);
    byte[] media = TestMedia.bytes(source);
    int clusters = Ffmpeg.clusterTimecodesMs(source).size();
    try (ServerJvm server = ServerJvm.start(tmp, HEAP, "--no-quotas")) {
      KinesisVideoClient kv = server.kinesisVideo();
      background("rss", () -> sampleRss(server));
      Path probeOut = tmp.resolve("health-probe.txt");
      prober = startProber(server.baseUrl, probeOut, server.process.pid());
      int attackersNice = startHostileClientsAtLowPriority(server, kv, scale);

      Streams.create(kv, "legit", 24);
      Instant producerStart = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      List<ClipCheck> clips = new CopyOnWriteArrayList<>();
      KinesisVideoArchivedMediaClient archived = server.archivedMedia();
      background("clips", () -> clipLoop(archived, producerStart, clips));
      PutMediaClient.Response legit;
      try {
        legit = new PutMediaClient(server.baseUrl, ServerJvm.credentials(), "us-east-1").put(
            PutMediaClient.Target.relative("legit", producerStart),
            PutMediaClient.Signing.EMPTY_PAYLOAD_HASH, realTime(media, scale.legitSeconds()),
            java.time.Duration.ofSeconds(scale.legitSeconds() + 120L));
      } catch (AssertionError | RuntimeException e) {
        stop.set(true);
        throw new AssertionError(String.format(Locale.ROOT, "the legitimate upload failed; server"
            + " alive %s, peak RSS %.0f MiB, %d /health answers, /health failures %s; output:%n%s",
            server.process.isAlive(), peakRssMiB, probeAnswers(probeOut),
            probeFailures(probeOut), tail(server.output())), e);
      }
      stop.set(true);
      sockets.forEach(HostileLoadTest::closeQuietly);
      for (Thread t : threads) {
        t.interrupt();
        t.join(10_000);
      }

      String serverSched = ThreadSchedStats.format(ThreadSchedStats.of(server.process.pid()));
      String proberSched = ThreadSchedStats.format(ThreadSchedStats.of(prober.pid()));
      prober.getOutputStream().close();
      prober.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      prober.destroyForcibly();
      Files.copy(probeOut, Path.of("target", "hostile-load-health.txt"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      HealthProbeLog probe = HealthProbeLog.read(probeOut);
      boolean alive = server.process.isAlive();
      String output = server.output();
      String figures = String.format(Locale.ROOT,
          "scale=%s, attackers at nice %d%npeak RSS %.0f MiB (bound %.0f)%n/health (prober process): %s"
              + "legit: status %d, %d PERSISTED of %d, %d ERROR%n"
              + "clips checked: %d%nload average at the end: %s%n"
              + "server threads (Linux schedstat):%n%sprober threads:%n%s",
          scale, attackersNice, peakRssMiB, RSS_BOUND_MIB, probe.summary(HEALTH_BOUND_MS), legit.status(),
          legit.acks("PERSISTED").size(), clusters, legit.acks("ERROR").size(), clips.size(),
          Files.readString(Path.of("/proc/loadavg")).trim(), serverSched, proberSched);
      System.out.println("HOSTILE LOAD FIGURES\n" + figures);
      Files.writeString(Path.of("target", "hostile-load-figures.txt"), figures);
      Files.copy(tmp.resolve("gc.log"), Path.of("target", "hostile-load-gc.log"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);

      assertThat(alive).as("server alive; output:%n%s", tail(output)).isTrue();
      assertThat(output).doesNotContain("OutOfMemoryError");
      assertThat(legit.status()).isEqualTo(200);
      assertThat(legit.acks("ERROR")).isEmpty();
      assertThat(legit.acks("PERSISTED")).hasSize(clusters);
      assertThat(probe.failures).as("/health failures").isEmpty();
      assertThat(probe.answers).as("/health answers").isNotEmpty();
      assertThat(probe.percentile(HealthProbeLog.Answer::totalMs, 50)).as("median /health, ms")
          .isLessThanOrEqualTo(HEALTH_BOUND_MS);
      boolean strict = Boolean.getBoolean("hostile.strictHealth");
      assertThat(probe.percentile(HealthProbeLog.Answer::serverOwnMs, 99))
          .as("99th percentile of /health on the server less its threads' wait for a CPU, ms")
          .isLessThanOrEqualTo(HEALTH_BOUND_MS);
      assertThat(probe.max(HealthProbeLog.Answer::serverOwnMs))
          .as("slowest /health on the server less its threads' wait for a CPU, ms")
          .isLessThanOrEqualTo(strict ? HEALTH_BOUND_MS : HEALTH_SERVER_STALL_MS);
      assertThat(probe.max(HealthProbeLog.Answer::totalMs)).as("slowest /health, ms")
          .isLessThanOrEqualTo(strict ? HEALTH_BOUND_MS : HEALTH_STARVED_MS);
      assertThat(peakRssMiB).as("peak RSS, MiB").isLessThan(RSS_BOUND_MIB);
      assertThat(clips).as("clips taken during the load").hasSizeGreaterThanOrEqualTo(3);
      for (ClipCheck c : clips) {
        assertThat(clipHash(archived, c.from(), c.to())).as("clip %s..%s again", c.from(), c.to())
            .isEqualTo(c.sha256());
      }
    } finally {
      stop.set(true);
      sockets.forEach(HostileLoadTest::closeQuietly);
      threads.forEach(Thread::interrupt);
      if (prober != null) {
        prober.destroyForcibly();
      }
    }
  }

  /**
   * SHORT, LONG with {@code -Dhostile.long=true}, or any counts with {@code
   * -Dhostile.counts=unreadAcks,lacingBombs,bigHeaders,idle,slowUnsigned,legitSeconds}.
   */
  private static Scale scale() {
    String counts = System.getProperty("hostile.counts");
    if (counts != null) {
      int[] c = Arrays.stream(counts.split(",")).mapToInt(Integer::parseInt).toArray();
      return new Scale(c[0], c[1], c[2], c[3], c[4], c[5]);
    }
    return Boolean.getBoolean("hostile.long") ? LONG : SHORT;
  }

  /** A clip taken during the load: its producer-time range and the SHA-256 of its bytes. */
  record ClipCheck(Instant from, Instant to, String sha256) {}

  /**
   * Starts the attackers from a thread of lowered CPU priority ({@code -Dhostile.attackersNice},
   * default {@link LowPriorityThreads#LOAD_GENERATOR_NICE}; 0 leaves it), which every attacker
   * thread inherits: real attackers bring CPUs of their own, so here they give way to the server
   * and the prober rather than measuring the test's own CPU use. The server's work for them keeps
   * its priority. Returns the nice value the attackers run at.
   */
  private int startHostileClientsAtLowPriority(ServerJvm server, KinesisVideoClient kv, Scale scale)
      throws Exception {
    int nice = Integer.getInteger("hostile.attackersNice", LowPriorityThreads.LOAD_GENERATOR_NICE);
    AtomicInteger niceSet = new AtomicInteger();
    AtomicReference<Exception> failed = new AtomicReference<>();
    Thread launcher = new Thread(() -> {
      if (nice > 0) {
        LowPriorityThreads.lowerCallingThread(nice);
      }
      niceSet.set(LowPriorityThreads.callingThreadNice());
      try {
        startHostileClients(server, kv, scale);
      } catch (Exception e) {
        failed.set(e);
      }
    }, "hostile-launcher");
    launcher.start();
    launcher.join();
    if (failed.get() != null) {
      throw failed.get();
    }
    return niceSet.get();
  }

  private void startHostileClients(ServerJvm server, KinesisVideoClient kv, Scale scale)
      throws IOException {
    for (int i = 0; i < scale.unreadAcks(); i++) {
      RawPutMedia upload = hostileUpload(server, kv, "unread-" + i);
      background("unread-" + i, () -> tinyClustersForever(upload));
    }
    for (int i = 0; i < scale.lacingBombs(); i++) {
      RawPutMedia upload = hostileUpload(server, kv, "bomb-" + i);
      background("bomb-" + i, () -> lacingBomb(upload));
    }
    for (int i = 0; i < scale.bigHeaders(); i++) {
      RawPutMedia upload = hostileUpload(server, kv, "header-" + i);
      background("header-" + i, () -> bigHeader(upload));
    }
    for (int i = 0; i < scale.idle(); i++) {
      sockets.add(connect(server.baseUrl));
    }
    List<Socket> unsigned = new ArrayList<>();
    for (int i = 0; i < scale.slowUnsigned(); i++) {
      Socket s = connect(server.baseUrl);
      s.getOutputStream().write(
          forgedHead(server.baseUrl).getBytes(StandardCharsets.ISO_8859_1));
      unsigned.add(s);
      sockets.add(s);
    }
    int perSecond = UNSIGNED_BODY_BYTES / scale.legitSeconds() + 1;
    background("unsigned", () -> slowBodies(unsigned, perSecond));
  }

  private RawPutMedia hostileUpload(ServerJvm server, KinesisVideoClient kv, String stream) {
    Streams.create(kv, stream, 24);
    RawPutMedia upload = RawPutMedia.open(server.baseUrl, ServerJvm.credentials(), stream);
    return upload;
  }

  private void tinyClustersForever(RawPutMedia upload) throws IOException {
    try (upload) {
      upload.chunk(HostileMkv.header(1, 0));
      long timecode = 0;
      while (!stop.get()) {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        for (int i = 0; i < 200; i++) {
          chunk.writeBytes(HostileMkv.tinyCluster(timecode++));
        }
        upload.chunk(chunk.toByteArray());
      }
    }
  }

  private void lacingBomb(RawPutMedia upload) throws IOException, InterruptedException {
    try (upload) {
      upload.chunk(HostileMkv.header(1, 0));
      upload.chunk(HostileMkv.openCluster(0));
      byte[] lace = HostileMkv.lacedBlock();
      int perChunk = 64 * 1024 / lace.length;
      byte[] chunk = new byte[perChunk * lace.length];
      for (int i = 0; i < perChunk; i++) {
        System.arraycopy(lace, 0, chunk, i * lace.length, lace.length);
      }
      int laces = 4_095; // the 4,096th, trickled, makes a million frames
      for (int sent = 0; sent + perChunk <= laces && !stop.get(); sent += perChunk) {
        upload.chunk(chunk);
      }
      trickle(upload, lace);
    }
  }

  private void bigHeader(RawPutMedia upload) throws IOException, InterruptedException {
    try (upload) {
      byte[] header = HostileMkv.header(3, BIG_CODEC_PRIVATE_BYTES);
      int held = 256;
      for (int off = 0; off < header.length - held && !stop.get(); off += 64 * 1024) {
        upload.chunk(Arrays.copyOfRange(header, off, Math.min(off + 64 * 1024,
            header.length - held)));
      }
      trickle(upload, Arrays.copyOfRange(header, header.length - held, header.length));
    }
  }

  private void trickle(RawPutMedia upload, byte[] bytes) throws IOException, InterruptedException {
    for (int i = 0; i < bytes.length && !stop.get(); i++) {
      Thread.sleep(TRICKLE_PERIOD_MS);
      upload.chunk(new byte[] {bytes[i]});
    }
  }

  private void slowBodies(List<Socket> unsigned, int perSecond) throws InterruptedException {
    byte[] piece = new byte[perSecond];
    Arrays.fill(piece, (byte) ' ');
    piece[0] = '{';
    int sent = 0;
    while (!stop.get() && sent < UNSIGNED_BODY_BYTES) {
      int n = Math.min(perSecond, UNSIGNED_BODY_BYTES - sent);
      for (Socket s : unsigned) {
        try {
          s.getOutputStream().write(piece, 0, n);
        } catch (IOException e) {
          // closed by the server: fine, it is the attacker's loss
        }
      }
      sent += n;
      piece[0] = ' ';
      Thread.sleep(1_000);
    }
  }

  private void sampleRss(ServerJvm server) throws InterruptedException {
    while (!stop.get()) {
      peakRssMiB = Math.max(peakRssMiB, server.rssMiB());
      Thread.sleep(250);
    }
  }

  private static int probeAnswers(Path probeOut) {
    try {
      return HealthProbeLog.read(probeOut).answers.size();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static List<String> probeFailures(Path probeOut) {
    try {
      return HealthProbeLog.read(probeOut).failures.stream().limit(3).toList();
    } catch (IOException | RuntimeException e) {
      return List.of(e.toString());
    }
  }

  /** {@link HealthProbeProcess} in a small JVM of its own, probing every HEALTH_PERIOD_MS. */
  private static Process startProber(URI base, Path out, long serverPid) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classes;
    try {
      classes = Path.of(HealthProbeProcess.class.getProtectionDomain().getCodeSource()
          .getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
    return new ProcessBuilder(java, "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", classes, HealthProbeProcess.class.getName(), base.getHost(),
        Integer.toString(base.getPort()), Long.toString(HEALTH_PERIOD_MS), out.toString(),
        Long.toString(serverPid))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  private void clipLoop(KinesisVideoArchivedMediaClient archived, Instant producerStart,
      List<ClipCheck> clips) throws InterruptedException {
    while (!stop.get()) {
      Thread.sleep(CLIP_PERIOD_MS);
      List<Fragment> fragments = new ArrayList<>(archived.listFragments(r -> r.streamName("legit")
          .fragmentSelector(s -> s.fragmentSelectorType(FragmentSelectorType.PRODUCER_TIMESTAMP)
              .timestampRange(t -> t.startTimestamp(producerStart)
                  .endTimestamp(producerStart.plusSeconds(3_600))))).fragments());
      if (fragments.size() < 2) {
        continue;
      }
      fragments.sort((a, b) -> a.producerTimestamp().compareTo(b.producerTimestamp()));
      Instant from = fragments.get(0).producerTimestamp();
      Instant to = fragments.get(fragments.size() - 1).producerTimestamp();
      clips.add(new ClipCheck(from, to, clipHash(archived, from, to)));
    }
  }

  private static String clipHash(KinesisVideoArchivedMediaClient archived, Instant from,
      Instant to) {
    ResponseBytes<GetClipResponse> clip = archived.getClipAsBytes(r -> r.streamName("legit")
        .clipFragmentSelector(s -> s.fragmentSelectorType(ClipFragmentSelectorType.PRODUCER_TIMESTAMP)
            .timestampRange(t -> t.startTimestamp(from).endTimestamp(to))));
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(clip.asByteArray()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code media} sent evenly over {@code seconds}, as a live encoder sends it. */
  private static InputStream realTime(byte[] media, int seconds) {
    int piece = 4 * 1024;
    long pieces = (media.length + piece - 1) / piece;
    return new GetMediaTest.PacedInputStream(new ByteArrayInputStream(media), piece,
        seconds * 1000L / pieces);
  }

  /** Runs {@code body} on a daemon thread until it returns, fails or is interrupted. */
  private void background(String name, ThrowingRunnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (InterruptedException e) {
        // stopping
      } catch (Exception e) {
        if (!stop.get() && !(e instanceof IOException)) {
          e.printStackTrace();
        }
      }
    }, "hostile-" + name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  /**
   * A JSON request head with the server's access key and a signature valid for no body, without
   * x-amz-content-sha256: the server must read the body to judge it, and buffers it meanwhile as
   * unauthenticated (a head without any signature is refused at once and never buffered).
   */
  private static String forgedHead(URI base) {
    String amzDate = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(Instant.now());
    return "POST /listStreams HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
        + "\r\nContent-Type: application/json\r\nContent-Length: " + UNSIGNED_BODY_BYTES
        + "\r\nX-Amz-Date: " + amzDate + "\r\nAuthorization: AWS4-HMAC-SHA256 Credential="
        + ServerJvm.credentials().accessKeyId() + "/" + amzDate.substring(0, 8)
        + "/us-east-1/kinesisvideo/aws4_request, SignedHeaders=host;x-amz-date, Signature="
        + "0".repeat(64) + "\r\n\r\n";
  }

  private static Socket connect(URI base) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
    return s;
  }

  private static String tail(String s) {
    return s.length() <= 4_000 ? s : s.substring(s.length() - 4_000);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing is best effort
    }
  }
}
