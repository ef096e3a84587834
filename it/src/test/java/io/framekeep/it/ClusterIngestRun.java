package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.it.PutMediaClient.Ack;
import io.framekeep.it.PutMediaClient.Signing;
import io.framekeep.it.PutMediaClient.Target;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;

/**
 * One run of the cluster failure tests ({@link ClusterKillTest},
 * {@link ClusterPostgresRestartTest}): {@link #NODES} Framekeep server processes
 * ({@link ClusterNodeMain}) on one database and bucket, paced producers ({@link PacedMedia})
 * spread over them, a disruption applied mid-upload, then the checks that nothing acked
 * PERSISTED was lost.
 *
 * <p>After a lost connection, an ERROR ack or a refused PutMedia, a producer continues with a new
 * PutMedia from its first GOP not yet PERSISTED, on the same node or, if that node is dead, on the
 * next one, as the AWS producer SDK does: ConnectionLimitExceeded (another node's lease) and
 * ServiceUnavailable (storage down) refusals are retried after a pause.
 *
 * <p>Not thread-safe: one test thread drives it; producer threads only record acks.
 */
final class ClusterIngestRun implements AutoCloseable {
  static final int NODES = 3;
  /** A producer gives up on its stream after this (lease takeover plus the rest of its media). */
  static final Duration PRODUCER_LIMIT = Duration.ofSeconds(60);
  /** PutMedia ack ErrorIds (spec: PutMedia error acks). */
  static final int INTERNAL_ERROR = 5000;
  static final int ARCHIVAL_ERROR = 5001;
  /** Pause between attempts refused (a lease held elsewhere, storage down) or failed. */
  private static final long RETRY_PAUSE_MS = 250;
  private static final long START_TIMEOUT_MS = 60_000;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final int streamCount;
  private final String streamPrefix;
  private final Map<String, String> settings;
  private final Path dir;
  private final List<SdkClient> clients = new ArrayList<>();
  private final Process[] nodes = new Process[NODES];
  private final AtomicIntegerArray ports = new AtomicIntegerArray(NODES);
  private final AtomicReferenceArray<Boolean> alive = new AtomicReferenceArray<>(NODES);

  /** Stream -> fragment number -> index of the cluster acked PERSISTED under it. */
  private final Map<String, Map<String, Integer>> persisted = new ConcurrentHashMap<>();
  /** Streams whose producer got PERSISTED acks from a node other than the one it started on. */
  final Set<String> tookOver = ConcurrentHashMap.newKeySet();
  /** Stream -> System.nanoTime() when a node it did not start on first accepted its PutMedia. */
  final Map<String, Long> tookOverAtNanos = new ConcurrentHashMap<>();
  /** ErrorId of every ERROR ack the producers received. */
  final List<Integer> errorIds = Collections.synchronizedList(new ArrayList<>());
  /** Error types of every refused PutMedia (status other than 200). */
  final List<String> refusals = Collections.synchronizedList(new ArrayList<>());

  /** When the uploads started, when the disruption began, and when every producer had finished. */
  record Outcome(Instant producerStart, List<String> streams, long startedNanos,
      long disruptedAtNanos, long uploadsDoneNanos) {}

  /** A step run in the middle of the uploads (a node killed, an engine stopped). */
  @FunctionalInterface
  interface Disruption {
    void run() throws Exception;
  }

  /**
   * Starts {@link #NODES} node processes with {@code settings} ({@code serve} flags without
   * dashes) and waits until each listens.
   */
  ClusterIngestRun(int streamCount, String streamPrefix, Map<String, String> settings)
      throws Exception {
    this.streamCount = streamCount;
    this.streamPrefix = streamPrefix;
    this.settings = Map.copyOf(settings);
    this.dir = Files.createTempDirectory("framekeep-it-" + streamPrefix);
    for (int n = 0; n < NODES; n++) {
      startNode(n, "node-" + n);
    }
    for (int n = 0; n < NODES; n++) {
      awaitPort(n);
    }
  }

  /**
   * Creates the streams, runs the paced producers, applies {@code disruption}
   * {@code disruptAfterMs} into the uploads, and waits until every producer has sent (and had
   * acked PERSISTED) every GOP of its media.
   */
  Outcome ingestThrough(long disruptAfterMs, Disruption disruption) throws Exception {
    PacedMedia media = PacedMedia.make();
    KinesisVideoClient kv = kinesisVideo(0);
    List<String> streams = new ArrayList<>();
    for (int s = 0; s < streamCount; s++) {
      Streams.create(kv, streamPrefix + s, 24);
      streams.add(streamPrefix + s);
    }
    Instant producerStart = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    long started = System.nanoTime();
    List<Thread> producers = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int s = 0; s < streamCount; s++) {
      String stream = streams.get(s);
      int firstNode = s % NODES;
      Thread t = new Thread(() -> {
        try {
          produce(stream, firstNode, producerStart, media);
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "producer-" + stream);
      t.setDaemon(true);
      t.start();
      producers.add(t);
    }
    Thread.sleep(disruptAfterMs);
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
          .as("GOPs of %s acked PERSISTED", stream).hasSize(media.clusters().size());
    }
    return new Outcome(producerStart, streams, started, disruptedAt, uploadsDone);
  }

  /**
   * Every fragment acked PERSISTED is listed on every node, and each stream's clip is
   * byte-identical whichever node serves it. Returns the number of PERSISTED fragments.
   */
  long verifyOnEveryNode(Outcome outcome) throws IOException {
    Instant from = outcome.producerStart().minusSeconds(1);
    Instant to = outcome.producerStart().plusSeconds(PacedMedia.MEDIA_SECONDS + 1);
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
   * failed or refused connection continues on the next live node from the GOP after the last
   * PERSISTED ack.
   */
  private void produce(String stream, int node, Instant producerStart, PacedMedia media)
      throws Exception {
    Map<String, Integer> acks = persisted.computeIfAbsent(stream, k -> new ConcurrentHashMap<>());
    long deadline = System.nanoTime() + PRODUCER_LIMIT.toNanos();
    int next = 0;
    int current = node;
    while (next < media.clusters().size()) {
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
              media.from(next));
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
          int cluster = media.timecodes().indexOf(ack.fragmentTimecode());
          assertThat(cluster).as("acked timecode %s", ack.fragmentTimecode()).isNotNegative();
          Integer other = acks.putIfAbsent(ack.fragmentNumber(), cluster);
          assertThat(other == null || other == cluster)
              .as("%s %s acked for two GOPs", stream, ack.fragmentNumber()).isTrue();
          next = firstNotPersisted(acks, media.clusters().size());
          if (current != node) {
            tookOver.add(stream);
          }
        }
      }
      if (response != null && response.status() != 200) {
        assertThat(response.errorType()).as("refusal of %s: %s", stream, response.body())
            .matches("(ConnectionLimitExceededException|ServiceUnavailable).*");
        refusals.add(response.errorType());
        Thread.sleep(RETRY_PAUSE_MS);
      } else if (next == before) {
        Thread.sleep(RETRY_PAUSE_MS); // an ERROR ack or a lost connection with nothing persisted
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

  /** Kills node {@code n} with SIGKILL and waits for it to exit. */
  void kill(int n) throws InterruptedException {
    alive.set(n, false);
    nodes[n].destroyForcibly(); // SIGKILL on Linux
    assertThat(nodes[n].waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  /** Starts node {@code n} again under a new node id and waits until it listens. */
  void restart(int n, String nodeId) throws Exception {
    startNode(n, nodeId);
    awaitPort(n);
  }

  /** {@code GET /health} of node {@code n}: its status code. */
  int health(int n) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(n)
        + "/health")).timeout(Duration.ofSeconds(6)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Polls {@link #health} of every node until each answers {@code status}, within {@code limit}. */
  void awaitHealth(int status, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    for (int n = 0; n < NODES; n++) {
      int last;
      while ((last = health(n)) != status) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("/health of node " + n + " answers " + last + ", not "
              + status + ", after " + limit);
        }
        Thread.sleep(100);
      }
    }
  }

  private void startNode(int n, String nodeId) throws IOException {
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

  /** Stops the node processes and deletes their directories (logs included). */
  @Override
  public void close() throws Exception {
    clients.forEach(SdkClient::close);
    for (Process node : nodes) {
      if (node != null) {
        node.destroyForcibly();
        node.waitFor(30, TimeUnit.SECONDS);
      }
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
