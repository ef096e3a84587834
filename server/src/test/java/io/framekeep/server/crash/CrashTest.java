package io.framekeep.server.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.api.FragmentNumbers;
import io.framekeep.storage.ByteRange;
import io.framekeep.storage.ByteSource;
import io.framekeep.storage.EmbeddedStorage;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.StreamRecord;
import java.io.EOFException;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability under {@code kill -9}: a server child process takes several concurrent, paced PutMedia
 * uploads and is killed with SIGKILL at a random moment, then restarted on the same data directory,
 * again and again. Every fragment acked PERSISTED must afterwards be listed by the server and be
 * stored byte for byte as the Cluster that was sent (checked by opening the data directory
 * directly once the last server is gone).
 *
 * <p>Short form (default, 5 kills) runs with the unit tests; the long form is
 * {@code mvn -pl server test -Dtest=CrashTest -Dcrash.kills=100}. {@code -Dcrash.seed} repeats a run.
 */
class CrashTest {
  private static final int KILLS = Integer.getInteger("crash.kills", 5);
  private static final long SEED = Long.getLong("crash.seed", System.nanoTime());
  /** Concurrent uploads, one stream each (KVS allows one PutMedia connection per stream). */
  private static final int STREAMS = 4;
  /** Pause after each cluster: keeps uploads in flight at every moment of a round. */
  private static final long PAUSE_MS = 20;
  /** Kill moments are drawn uniformly in [MIN, MIN + SPREAD) ms after the server listens. */
  private static final int KILL_MIN_MS = 150;
  private static final int KILL_SPREAD_MS = 1200;
  private static final long START_TIMEOUT_MS = 30_000;

  @TempDir Path dir;

  /** Stream name -> fragment sequence -> index of the cluster that was acked PERSISTED. */
  private final Map<String, Map<Long, Integer>> persisted = new ConcurrentHashMap<>();
  private final List<String> conflicts = new ArrayList<>();

  @Test
  void killNine_duringConcurrentIngest_losesNoPersistedFragment() throws Exception {
    TestMkv mkv = TestMkv.encode(dir, 10);
    Path dataDir = Files.createDirectories(dir.resolve("data"));
    Random random = new Random(SEED);
    long startNs = System.nanoTime();
    for (int round = 0; round <= KILLS; round++) {
      Process server = startServer(dataDir, round);
      int port = awaitPort();
      if (round == 0) {
        ApiCalls api = new ApiCalls(port);
        for (int s = 0; s < STREAMS; s++) {
          api.createStream(stream(s), 24);
        }
      }
      if (round == KILLS) {
        checkListedByServer(new ApiCalls(port));
        kill(server);
        break;
      }
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> uploaders = new ArrayList<>();
      for (int s = 0; s < STREAMS; s++) {
        String name = stream(s);
        Thread t = new Thread(() -> uploadUntilStopped(port, name, mkv, stop), "upload-" + name);
        t.setDaemon(true);
        t.start();
        uploaders.add(t);
      }
      Thread.sleep(KILL_MIN_MS + random.nextInt(KILL_SPREAD_MS));
      kill(server);
      stop.set(true);
      for (Thread t : uploaders) {
        t.join(10_000);
      }
    }
    long acked = persisted.values().stream().mapToLong(Map::size).sum();
    System.out.printf("crash test: seed %d, %d kills, %d PERSISTED fragments, %.1f s%n", SEED,
        KILLS, acked, (System.nanoTime() - startNs) / 1e9);
    assertThat(conflicts).as("one fragment number acked for two different clusters").isEmpty();
    assertThat(acked).as("fragments acked PERSISTED").isGreaterThan(KILLS);
    verifyOnDisk(dataDir, mkv);
  }

  private void uploadUntilStopped(int port, String name, TestMkv mkv, AtomicBoolean stop) {
    Map<Long, Integer> acks = persisted.computeIfAbsent(name, k -> new ConcurrentHashMap<>());
    while (!stop.get()) {
      try (PutMediaUpload upload = PutMediaUpload.send(port, name, mkv, System.currentTimeMillis(),
          PAUSE_MS, ack -> record(name, acks, mkv, ack))) {
        upload.awaitAcks(10_000);
        if (upload.status() != 200) {
          Thread.sleep(20); // the previous connection of this stream is still being released
        }
      } catch (Exception e) {
        return; // the server was killed
      }
    }
  }

  private void record(String name, Map<Long, Integer> acks, TestMkv mkv, PutMediaUpload.Ack ack) {
    if (!ack.eventType().equals("PERSISTED")) {
      return;
    }
    long sequence = FragmentNumbers.parse(ack.fragmentNumber()).orElseThrow();
    int cluster = indexOf(mkv.clusterTimecodes(), ack.fragmentTimecode());
    Integer before = acks.putIfAbsent(sequence, cluster);
    if (before != null && before != cluster) {
      synchronized (conflicts) {
        conflicts.add(name + " #" + sequence + ": clusters " + before + " and " + cluster);
      }
    }
  }

  private void checkListedByServer(ApiCalls api) throws Exception {
    for (Map.Entry<String, Map<Long, Integer>> e : persisted.entrySet()) {
      List<String> listed = api.listFragmentNumbers(e.getKey(), 0,
          System.currentTimeMillis() + 86_400_000L);
      List<String> acked = e.getValue().keySet().stream().map(FragmentNumbers::format).toList();
      assertThat(listed).as("fragments listed for %s", e.getKey()).containsAll(acked);
    }
  }

  private void verifyOnDisk(Path dataDir, TestMkv mkv) throws Exception {
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, Clock.systemUTC())) {
      for (Map.Entry<String, Map<Long, Integer>> e : persisted.entrySet()) {
        StreamRecord stream = storage.catalog().byName(e.getKey()).orElseThrow();
        for (Map.Entry<Long, Integer> ack : e.getValue().entrySet()) {
          Optional<FragmentRecord> found =
              storage.fragments().bySequence(stream.streamId(), ack.getKey());
          assertThat(found).as("%s fragment %d", e.getKey(), ack.getKey()).isPresent();
          FragmentRecord f = found.get();
          byte[] stored = read(storage.fragments(), f);
          assertThat(stored).as("%s fragment %d bytes", e.getKey(), ack.getKey())
              .isEqualTo(mkv.clusters().get(ack.getValue()));
        }
      }
    }
  }

  private Process startServer(Path dataDir, int round) throws Exception {
    Files.deleteIfExists(portFile());
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    File log = dir.resolve("server.log").toFile();
    return new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", classpath, CrashServerMain.class.getName(), dataDir.toString(),
        portFile().toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        .start();
  }

  private int awaitPort() throws Exception {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (!Files.exists(portFile())) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("server did not start; see " + dir.resolve("server.log"));
      }
      Thread.sleep(10);
    }
    return Integer.parseInt(Files.readString(portFile(), StandardCharsets.US_ASCII).trim());
  }

  /** SIGKILL: Process.destroyForcibly is kill -9 on Linux. */
  private static void kill(Process server) throws InterruptedException {
    server.destroyForcibly();
    assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  private Path portFile() {
    return dir.resolve("port");
  }

  private static String stream(int i) {
    return "crash-" + i;
  }

  private static int indexOf(long[] values, long value) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == value) {
        return i;
      }
    }
    throw new AssertionError("ack for unknown cluster timecode " + value);
  }

  /** The fragment's stored bytes, zero-filled past the end of a segment that was cut short. */
  private static byte[] read(FragmentLog log, FragmentRecord f) throws Exception {
    ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(f.lengthBytes()));
    try (ByteSource source = log.open(ByteRange.whole(f))) {
      source.read(0, buffer);
    } catch (EOFException e) {
      // The assertion shows what is missing.
    }
    return buffer.array();
  }
}
