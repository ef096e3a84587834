package io.framekeep.server.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerWarmUpTest {
  /** Small, so that the test takes seconds; the default plan runs in the once-per-JVM test. */
  private static final ServerWarmUp.Plan SMALL = new ServerWarmUp.Plan(2, 3, 2);

  @TempDir
  Path temp;
  private FramekeepServer real;
  private Path scratchParent;

  @BeforeEach
  void startRealServer() throws Exception {
    real = FramekeepServer.start(ServerConfig.defaults(temp.resolve("real-data")).withNoAuth()
        .withPort(0));
    scratchParent = Files.createDirectories(temp.resolve("scratch-parent"));
  }

  @AfterEach
  void stopRealServer() throws IOException {
    real.close();
    System.clearProperty(ServerWarmUp.ENABLED_PROPERTY);
  }

  @Test
  void run_builtInMedia_uploadsAndReadsThenLeavesNothingBehind() throws Exception {
    ServerWarmUp.Report report = ServerWarmUp.run(scratchParent, WarmUpMedia.builtIn(), SMALL,
        real::hasServedRequests);

    assertThat(report.uploads()).isEqualTo(6);
    assertThat(report.readRounds()).isEqualTo(4);
    assertThat(report.stoppedEarly()).isFalse();
    assertLeftNothing(report);
  }

  @Test
  void run_mediaThatDoesNotParse_failsCleansUpAndRealServerServes() throws Exception {
    byte[] garbage = new byte[100_000];
    new Random(7).nextBytes(garbage);

    assertThatThrownBy(() -> ServerWarmUp.run(scratchParent,
        new WarmUpMedia(garbage, 3, 3000), SMALL, real::hasServedRequests))
        .isInstanceOf(IOException.class).hasMessageContaining("PERSISTED");

    try (Stream<Path> left = Files.list(scratchParent)) {
      assertThat(left).isEmpty();
    }
    assertRealServerServesAndHasNoStream();
  }

  @Test
  void run_realServerAlreadyServing_startsNoScratchServer() throws Exception {
    try (WarmUpClient client = new WarmUpClient(real.port(), anySigner())) {
      client.get("/health");
      assertThat(real.hasServedRequests()).isFalse(); // load-balancer probes are not clients
      client.post("/listStreams", "{}");
    }
    assertThat(real.hasServedRequests()).isTrue();

    ServerWarmUp.Report report = ServerWarmUp.run(scratchParent, WarmUpMedia.builtIn(), SMALL,
        real::hasServedRequests);

    assertThat(report.stoppedEarly()).isTrue();
    assertThat(report.uploads()).isZero();
    assertThat(report.readRounds()).isZero();
    assertThat(report.scratchDirectory()).isNull();
    try (Stream<Path> left = Files.list(scratchParent)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void run_clientsArriveDuringUploads_stopsAndCleansUp() throws Exception {
    java.util.concurrent.atomic.AtomicInteger polls = new java.util.concurrent.atomic.AtomicInteger();

    ServerWarmUp.Report report = ServerWarmUp.run(scratchParent, WarmUpMedia.builtIn(), SMALL,
        () -> polls.incrementAndGet() > 3); // the second poll of the second client, say

    assertThat(report.stoppedEarly()).isTrue();
    assertThat(report.uploads()).isBetween(1, 3);
    assertThat(report.readRounds()).isZero();
    assertThat(Files.exists(report.scratchDirectory())).isFalse();
  }

  @Test
  void startInBackground_disabledThenEnabled_runsOncePerJvmWithTheDefaultPlan() throws Exception {
    System.setProperty(ServerWarmUp.ENABLED_PROPERTY, "false");
    assertThat(ServerWarmUp.startInBackground(real)).isEmpty();

    System.clearProperty(ServerWarmUp.ENABLED_PROPERTY);
    CompletableFuture<ServerWarmUp.Report> running = ServerWarmUp.startInBackground(real)
        .orElseThrow();
    assertThat(ServerWarmUp.startInBackground(real)).isEmpty();
    ServerWarmUp.Report report = running.get(120, TimeUnit.SECONDS);

    ServerWarmUp.Plan plan = ServerWarmUp.Plan.DEFAULT;
    assertThat(report.uploads()).isEqualTo(plan.clients() * plan.uploadsPerClient());
    assertThat(report.readRounds()).isEqualTo(plan.clients() * plan.readRoundsPerClient());
    assertLeftNothing(report);
  }

  @Test
  void run_scratchServerCannotStart_failsAndRealServerServes() throws Exception {
    Path notADirectory = Files.writeString(temp.resolve("a-file"), "x");

    assertThatThrownBy(() -> ServerWarmUp.run(notADirectory, WarmUpMedia.builtIn(), SMALL,
        real::hasServedRequests)).isInstanceOf(IOException.class);

    assertRealServerServesAndHasNoStream();
  }

  private void assertLeftNothing(ServerWarmUp.Report report) throws Exception {
    assertThat(Files.exists(report.scratchDirectory())).isFalse();
    assertThat(report.scratchDirectory().getFileName().toString())
        .startsWith(ScratchServer.DIR_PREFIX);
    assertThatThrownBy(() -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", report.scratchPort()), 2000);
      }
    }).isInstanceOf(ConnectException.class);
    assertThat(warmUpThreadsAlive()).as("warm-up and scratch-server threads still alive").isZero();
    assertRealServerServesAndHasNoStream();
  }

  /** Threads named like the warm-up's, polled briefly: Netty's exit a moment after shutdown. */
  private static long warmUpThreadsAlive() throws InterruptedException {
    long alive = 0;
    for (int i = 0; i < 100; i++) {
      alive = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith(ServerWarmUp.THREAD_NAME_PREFIX + "-"))
          .filter(Thread::isAlive).count();
      if (alive == 0) {
        return 0;
      }
      Thread.sleep(50);
    }
    return alive;
  }

  private void assertRealServerServesAndHasNoStream() throws IOException {
    try (WarmUpClient client = new WarmUpClient(real.port(), anySigner())) {
      assertThat(client.post("/listStreams", "{}").text()).contains("\"StreamInfoList\":[]");
    }
  }

  /** The real server checks no signatures; any credential will do. */
  private static WarmUpSigner anySigner() {
    return new WarmUpSigner("FKIATEST", "secret", "us-east-1");
  }
}
