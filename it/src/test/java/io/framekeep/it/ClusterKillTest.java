package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.framekeep.it.PutMediaClient.Ack;
import io.framekeep.it.PutMediaClient.Signing;
import io.framekeep.it.PutMediaClient.Target;
import io.framekeep.server.StorageBackend;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;

/**
 * Cluster failures lose no PERSISTED fragment. Three Framekeep server processes
 * ({@link ClusterNodeMain}) share one PostgreSQL database and one S3Proxy bucket; {@link #STREAMS}
 * producers upload paced (one GOP per GOP duration) and spread over the nodes; mid-upload, either
 * one node is killed with {@code kill -9}, or the S3 server is stopped for {@link #OUTAGE_MS}.
 * After a lost connection or an ERROR ack a producer continues with a new PutMedia from its first
 * GOP not yet PERSISTED, on the same node or, if that node is dead, on the next one, retrying on
 * ConnectionLimitExceeded until the dead node's lease ({@link #LEASE_TTL_MS}) expires, as the AWS
 * producer SDK does. Every producer must get its whole media acked PERSISTED; then every fragment
 * acked PERSISTED is listed on every node (the killed one started again), and each stream's clip
 * is byte-identical whichever node serves it. The outage must give ERROR acks 5001 (archival
 * error) or 5000, and ingest must resume by itself.
 *
 * <p>Short form (6 streams) runs in the cluster test run; the long form is
 * {@code mvn -B -pl it -am verify -Dtest=ClusterKillTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcluster.kill.streams=20}. Runs only with the cluster switch (the cluster-backend execution).
 */
class ClusterKillTest {
  private static final int STREAMS = Integer.getInteger("cluster.kill.streams", 6);
  private static final int NODES = 3;
  private static final int VICTIM = 1;
  /**
   * 3 s leases: a dead node's streams are taken over 3 s after its last renewal at most, which
   * keeps the test short; the default is 10 s.
   */
  private static final long LEASE_TTL_MS = 3_000;
  /** Media: 16 s with a 15-frame (0.5 s) GOP, so 32 fragments per stream, sent in real time. */
  private static final int MEDIA_SECONDS = 16;
  private static final int GOP_FRAMES = 15;
  private static final long GOP_MS = 500;
  /** The kill comes this long after the uploads start: mid-upload, after some PERSISTED acks. */
  private static final long KILL_AFTER_MS = 5_000;
  /** A producer gives up on its stream after this (lease takeover plus the rest of its media). */
  private static final Duration PRODUCER_LIMIT = Duration.ofSeconds(60);
  /** Pause between attempts refused with ConnectionLimitExceeded (the dead node's lease). */
  private static final long RETRY_PAUSE_MS = 250;
  private static final long START_TIMEOUT_MS = 60_000;
  /** The object-store outage: longer than a flush's retries, so that fragments fail. */
  private static final long OUTAGE_MS = 10_000;
  /** PutMedia ack ErrorIds (spec: PutMedia error acks). */
  private static final int INTERNAL_ERROR = 5000;
  private static final int ARCHIVAL_ERROR = 5001;

  private final List<SdkClient> clients = new ArrayList<>();
  private final Process[] nodes = new Process[NODES];
  private final AtomicIntegerArray ports = new AtomicIntegerArray(NODES);
  private final AtomicReferenceArray<Boolean> alive = new AtomicReferenceArray<>(NODES);
  private Path dir;

  /** Stream -> fragment number -> index of the cluster acked PERSISTED under it. */
  private final Map<String, Map<String, Integer>> persisted = new ConcurrentHashMap<>();
  /** Streams whose producer got PERSISTED acks from a node other than the one it started on. */
  private final Set<String> tookOver = ConcurrentHashMap.newKeySet();
  /** Stream -> System.nanoTime() when a node it did not start on first accepted its PutMedia. */
  private final Map<String, Long> tookOverAtNanos = new ConcurrentHashMap<>();
  /** ErrorId of every ERROR ack the producers received. */
  private final List<Integer> errorIds = Collections.synchronizedList(new ArrayList<>());
  private Map<String, String> settings;

  @AfterEach
  void stopNodes() throws Exception {
    clients.forEach(SdkClient::close);
    for (Process node : nodes) {
      if (node != null) {
        node.destroyForcibly();
        node.waitFor(30, TimeUnit.SECONDS);
      }
    }
    if (dir != null) {
      try (var paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void killNine_oneOfThreeNodesMidUpload_noPersistedFragmentLostAndClipsIdenticalOnEveryNode()
      throws Exception {
    Outcome outcome = ingestThrough(() -> {
      alive.set(VICTIM, false);
      nodes[VICTIM].destroyForcibly(); // SIGKILL on Linux
      assertThat(nodes[VICTIM].waitFor(30, TimeUnit.SECONDS)).isTrue();
    });
    assertThat(tookOver).as("streams taken over from the killed node").isNotEmpty();
    startNode(VICTIM, "node-" + VICTIM + "-restarted", settings);
    awaitPort(VICTIM);
    long acked = verifyOnEveryNode(outcome);
    System.out.printf("cluster kill test: %d streams over %d nodes, %d PERSISTED fragments, "
        + "%d streams taken over, PutMedia accepted by another node at most %.1f s after the kill, "
        + "uploads ended %.1f s after the kill, total %.1f s%n",
        STREAMS, NODES, acked, tookOver.size(),
        tookOverAtNanos.values().stream().mapToLong(t -> t - outcome.disruptedAtNanos()).max()
            .orElse(0) / 1e9,
        (outcome.uploadsDoneNanos() - outcome.disruptedAtNanos()) / 1e9,
        (System.nanoTime() - outcome.startedNanos()) / 1e9);
  }

  @Test
  void objectStoreStopped10sMidUpload_errorAcksThenIngestResumesAndNoPersistedFragmentLost()
      throws Exception {
    Outcome outcome = ingestThrough(() -> {
      ClusterUnderTest.s3().stop();
      try {
        Thread.sleep(OUTAGE_MS);
      } finally {
        ClusterUnderTest.s3().start();
      }
    });
    assertThat(errorIds).as("ERROR acks during the outage").isNotEmpty()
        .allMatch(id -> id == ARCHIVAL_ERROR || id == INTERNAL_ERROR).contains(ARCHIVAL_ERROR);
    long acked = verifyOnEveryNode(outcome);
    System.out.printf("cluster object-store outage test: %d streams over %d nodes, S3 stopped "
        + "%.1f s, %d PERSISTED fragments, %d ERROR acks, uploads ended %.1f s after S3 stopped, "
        + "total %.1f s%n", STREAMS, NODES, OUTAGE_MS / 1e3, acked, errorIds.size(),
        (outcome.uploadsDoneNanos() - outcome.disruptedAtNanos()) / 1e9,
        (System.nanoTime() - outcome.startedNanos()) / 1e9);
  }

  /** When the uploads started, when the disruption began, and when every producer had finished. */
  private record Outcome(Instant producerStart, List<String> streams, long startedNanos,
      long disruptedAtNanos, long uploadsDoneNanos) {}

  /** A step run in the middle of the uploads (a node killed, the object store stopped). */
  @FunctionalInterface
  private interface Disruption {
    void run() throws Exception;
  }

  /**
   * Starts three nodes, creates the streams, runs the paced producers, applies {@code disruption}
   * {@link #KILL_AFTER_MS} into the uploads, and waits until every producer has sent (and had
   * acked PERSISTED) every GOP of its media.
   */
  private Outcome ingestThrough(Disruption disruption) throws Exception {
    assumeTrue(ClusterUnderTest.backend() == StorageBackend.CLUSTER,
        "the cluster failure tests run with -D" + ClusterUnderTest.PROPERTY + "=cluster");
    dir = Files.createTempDirectory("framekeep-it-kill-");
    settings = new HashMap<>(ClusterUnderTest.freshNodeSettings());
    settings.put("lease-ttl-ms", Long.toString(LEASE_TTL_MS));
    for (int n = 0; n < NODES; n++) {
      startNode(n, "node-" + n, settings);
    }
    for (int n = 0; n < NODES; n++) {
      awaitPort(n);
    }
    Path media = TestMedia.h264Aac(MEDIA_SECONDS, GOP_FRAMES);
    MkvEdit mkv = MkvEdit.of(TestMedia.bytes(media));
    byte[] head = mkv.head();
    List<byte[]> clusters = mkv.clusterBytes();
    List<Long> timecodes = Ffmpeg.clusterTimecodesMs(media);
    assertThat(clusters).hasSize(timecodes.size()).hasSizeGreaterThan(20);

    KinesisVideoClient kv = kinesisVideo(0);
    List<String> streams = new ArrayList<>();
    for (int s = 0; s < STREAMS; s++) {
      Streams.create(kv, "kill-" + s, 24);
      streams.add("kill-" + s);
    }
    Instant producerStart = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    long started = System.nanoTime();
    List<Thread> producers = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int s = 0; s < STREAMS; s++) {
      String stream = streams.get(s);
      int firstNode = s % NODES;
      Thread t = new Thread(() -> {
        try {
          produce(stream, firstNode, producerStart, head, clusters, timecodes);
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "producer-" + stream);
      t.setDaemon(true);
      t.start();
      producers.add(t);
    }
    Thread.sleep(KILL_AFTER_MS);
    long disruptedAt = System.nanoTime();
    disruption.run();
    for (Thread t : producers) {
      t.join(PRODUCER_LIMIT.toMillis());
      assertThat(t.isAlive()).as("%s still uploading", t.getName()).isFalse();
    }
    assertThat(failures).as("producer failures").isEmpty();
    long uploadsDone = System.nanoTime();
    // Every producer sent its whole media, each GOP acked PERSISTED at least once.
    for (String stream : streams) {
      assertThat(Set.copyOf(persisted.get(stream).values()))
          .as("GOPs of %s acked PERSISTED", stream).hasSize(clusters.size());
    }
    return new Outcome(producerStart, streams, started, disruptedAt, uploadsDone);
  }

  /**
   * Every fragment acked PERSISTED is listed on every node, and each stream's clip is
   * byte-identical whichever node serves it. Returns the number of PERSISTED fragments.
   */
  private long verifyOnEveryNode(Outcome outcome) throws IOException {
    Instant from = outcome.producerStart().minusSeconds(1);
    Instant to = outcome.producerStart().plusSeconds(MEDIA_SECONDS + 1);
    long acked = 0;
    for (String stream : outcome.streams()) {
      Set<String> ackedNumbers = persisted.get(stream).keySet();
      acked += ackedNumbers.size();
      byte[] first = null;
      for (int n = 0; n < NODES; n++) {
        KinesisVideoArchivedMediaClient am = archived(n);
        List<Fragment> listed = Streams.listAll(am, stream,
            Streams.selector(FragmentSelectorType.PRODUCER_TIMESTAMP, from, to), null);
        assertThat(listed).extracting(Fragment::fragmentNumber)
            .as("%s listed on node %d", stream, n).containsAll(ackedNumbers);
        byte[] clip = clip(am, stream, from, to);
        if (first == null) {
          assertThat(clip).as("clip of %s", stream).hasSizeGreaterThan(100_000);
          first = clip;
        } else {
          assertThat(clip).as("clip of %s from node %d", stream, n).isEqualTo(first);
        }
      }
    }
    return acked;
  }

  /**
   * Uploads the media to {@code stream} paced in real time, starting on {@code node}; after a
   * failed connection continues on the next live node from the GOP after the last PERSISTED ack.
   */
  private void produce(String stream, int node, Instant producerStart, byte[] head,
      List<byte[]> clusters, List<Long> timecodes) throws Exception {
    Map<String, Integer> acks = persisted.computeIfAbsent(stream, k -> new ConcurrentHashMap<>());
    long deadline = System.nanoTime() + PRODUCER_LIMIT.toNanos();
    int next = 0;
    int current = node;
    while (next < clusters.size()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(stream + " not finished; next GOP " + next);
      }
      if (!Boolean.TRUE.equals(alive.get(current))) {
        current = (current + 1) % NODES;
        continue;
      }
      PutMediaClient.Upload upload = InProcessServer.putMedia(
              URI.create("http://127.0.0.1:" + ports.get(current)))
          .start(Target.relative(stream, producerStart), Signing.EMPTY_PAYLOAD_HASH,
              paced(head, clusters.subList(next, clusters.size())));
      PutMediaClient.Response response = null;
      try {
        if (upload.awaitStatus(PRODUCER_LIMIT) == 200 && current != node) {
          tookOverAtNanos.putIfAbsent(stream, System.nanoTime());
        }
        response = upload.await(PRODUCER_LIMIT);
      } catch (RuntimeException | AssertionError e) {
        // The node died under the upload: what was acked before counts.
      } finally {
        upload.close();
      }
      int before = next;
      for (Ack ack : response != null ? response.acks() : upload.acksSoFar()) {
        if ("ERROR".equals(ack.eventType())) {
          errorIds.add(ack.errorId());
        }
        if ("PERSISTED".equals(ack.eventType())) {
          int cluster = timecodes.indexOf(ack.fragmentTimecode());
          assertThat(cluster).as("acked timecode %s", ack.fragmentTimecode()).isNotNegative();
          Integer other = acks.putIfAbsent(ack.fragmentNumber(), cluster);
          assertThat(other == null || other == cluster)
              .as("%s %s acked for two GOPs", stream, ack.fragmentNumber()).isTrue();
          next = firstNotPersisted(acks, clusters.size());
          if (current != node) {
            tookOver.add(stream);
          }
        }
      }
      if (response != null && response.status() != 200) {
        assertThat(response.errorType()).as("refusal of %s: %s", stream, response.body())
            .startsWith("ConnectionLimitExceededException");
        Thread.sleep(RETRY_PAUSE_MS);
      } else if (next == before && response != null) {
        Thread.sleep(RETRY_PAUSE_MS); // an ERROR ack with nothing persisted; try again
      }
    }
  }

  /**
   * The first GOP without a PERSISTED ack: where the producer continues, as the producer SDK
   * resends from the oldest fragment not yet persisted after an ERROR ack or a lost connection.
   */
  private static int firstNotPersisted(Map<String, Integer> acks, int gops) {
    Set<Integer> done = Set.copyOf(acks.values());
    int first = 0;
    while (first < gops && done.contains(first)) {
      first++;
    }
    return first;
  }

  /** The head, then each cluster one GOP duration after the previous one. */
  private static InputStream paced(byte[] head, List<byte[]> clusters) {
    List<InputStream> parts = new ArrayList<>();
    parts.add(new ByteArrayInputStream(head));
    for (int i = 0; i < clusters.size(); i++) {
      if (i > 0) {
        parts.add(new PauseInputStream(GOP_MS));
      }
      parts.add(new ByteArrayInputStream(clusters.get(i)));
    }
    return new SequenceInputStream(Collections.enumeration(parts));
  }

  /** An empty stream that first waits: a pause in the body between two clusters. */
  private static final class PauseInputStream extends InputStream {
    private final long pauseMs;
    private boolean paused;

    PauseInputStream(long pauseMs) {
      this.pauseMs = pauseMs;
    }

    @Override
    public int read() throws IOException {
      pause();
      return -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      pause();
      return -1;
    }

    private void pause() throws IOException {
      if (!paused) {
        paused = true;
        try {
          Thread.sleep(pauseMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
  }

  private void startNode(int n, String nodeId, Map<String, String> settings) throws IOException {
    Path dataDir = Files.createDirectories(dir.resolve(nodeId));
    Files.deleteIfExists(portFile(n));
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-cp", classpath, ClusterNodeMain.class.getName(),
        dataDir.toString(), portFile(n).toString(), "node-id=" + nodeId));
    settings.forEach((k, v) -> command.add(k + "=" + v));
    File log = dir.resolve(nodeId + ".log").toFile();
    nodes[n] = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
  }

  private void awaitPort(int n) throws Exception {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (!Files.exists(portFile(n))) {
      if (!nodes[n].isAlive() || System.currentTimeMillis() > deadline) {
        throw new AssertionError("node " + n + " did not start; see the logs in " + dir);
      }
      Thread.sleep(20);
    }
    ports.set(n, Integer.parseInt(Files.readString(portFile(n), StandardCharsets.US_ASCII).trim()));
    alive.set(n, true);
  }

  private Path portFile(int n) {
    return dir.resolve("port-" + n);
  }

  private static byte[] clip(KinesisVideoArchivedMediaClient am, String stream, Instant from,
      Instant to) throws IOException {
    try (ResponseInputStream<?> in = am.getClip(r -> r.streamName(stream)
        .clipFragmentSelector(s -> s.fragmentSelectorType(ClipFragmentSelectorType.PRODUCER_TIMESTAMP)
            .timestampRange(t -> t.startTimestamp(from).endTimestamp(to))))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    }
  }

  private KinesisVideoClient kinesisVideo(int n) {
    KinesisVideoClient client = TestClients.build(KinesisVideoClient.builder(),
        URI.create("http://127.0.0.1:" + ports.get(n)), UrlConnectionHttpClient.create());
    clients.add(client);
    return client;
  }

  private KinesisVideoArchivedMediaClient archived(int n) {
    KinesisVideoArchivedMediaClient client = TestClients.build(KinesisVideoArchivedMediaClient.builder(),
        URI.create("http://127.0.0.1:" + ports.get(n)), UrlConnectionHttpClient.create());
    clients.add(client);
    return client;
  }
}
