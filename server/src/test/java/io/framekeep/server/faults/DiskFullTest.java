package io.framekeep.server.faults;

import static io.framekeep.server.faults.IngestFaults.ARCHIVAL_ERROR;
import static io.framekeep.server.faults.IngestFaults.assertStoredExactly;
import static io.framekeep.server.faults.IngestFaults.bufferingNumber;
import static io.framekeep.server.faults.IngestFaults.clusterBytes;
import static io.framekeep.server.faults.IngestFaults.collectPersisted;
import static io.framekeep.server.faults.IngestFaults.ofType;
import static io.framekeep.server.faults.IngestFaults.segmentBytes;
import static io.framekeep.server.faults.IngestFaults.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.crash.ApiCalls;
import io.framekeep.server.crash.PutMediaUpload.Ack;
import io.framekeep.server.crash.TestMkv;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the data directory lives on a small tmpfs, which a filler file then fills to the last
 * page. Needs root and permission to mount (skipped otherwise).
 */
class DiskFullTest {
  private static final String STREAM = "cam";
  /** Holds the data directory with room to spare for the test media (well under 1 MB per upload). */
  private static final String TMPFS_SIZE = "8m";
  /** Filler write sizes: large steps first, then page-sized ones to use up the last free pages. */
  private static final int[] FILL_STEPS = {1 << 20, 64 << 10, 4 << 10, 512, 1};

  @TempDir Path dir;
  private Path disk;
  private boolean mounted;

  @BeforeEach
  void mountTmpfs() throws Exception {
    disk = Files.createDirectories(dir.resolve("disk"));
    mounted = run("mount", "-t", "tmpfs", "-o", "size=" + TMPFS_SIZE, "tmpfs", disk.toString());
    assumeTrue(mounted, "cannot mount a tmpfs here (needs root); skipping the real disk-full test");
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      run("umount", disk.toString());
    }
  }

  @Test
  void putMedia_diskFull_errorAck5001ThenIngestResumesWhenSpaceReturns() throws Exception {
    TestMkv mkv = TestMkv.encode(dir, 4);
    Path dataDir = disk.resolve("data");
    Path filler = disk.resolve("filler");
    Map<Long, Integer> persisted = new TreeMap<>();
    try (LogCapture log = new LogCapture(Class.forName("io.framekeep.server.ingest.PutMediaSession"));
        FramekeepServer server = FramekeepServer.start(
            ServerConfig.defaults(dataDir).withPort(0).withNoAuth())) {
      new ApiCalls(server.port()).createStream(STREAM, 24);
      collectPersisted(upload(server.port(), STREAM, mkv), mkv, persisted);
      assertThat(persisted).hasSize(mkv.clusters().size());

      fill(filler);
      List<Ack> acks = upload(server.port(), STREAM, mkv);

      Ack error = ofType(acks, "ERROR").stream().findFirst().orElseThrow();
      assertThat(error.errorId()).isEqualTo(ARCHIVAL_ERROR);
      assertThat(error.fragmentNumber()).isEqualTo(bufferingNumber(acks, error.fragmentTimecode()));
      assertThat(log.errors()).anySatisfy(line -> assertThat(line)
          .contains("archiving fragment " + error.fragmentNumber() + " failed")
          .contains("No space left on device"));
      collectPersisted(acks, mkv, persisted);
      assertThat(segmentBytes(dataDir)).as("no torn bytes on the full disk")
          .isEqualTo(clusterBytes(mkv, persisted));

      Files.delete(filler);
      Map<Long, Integer> resumed = new TreeMap<>();
      List<Ack> again = upload(server.port(), STREAM, mkv);
      assertThat(ofType(again, "ERROR")).isEmpty();
      collectPersisted(again, mkv, resumed);
      assertThat(resumed).hasSize(mkv.clusters().size());
      persisted.putAll(resumed);
    }
    assertThat(segmentBytes(dataDir)).isEqualTo(clusterBytes(mkv, persisted));
    assertStoredExactly(dataDir, STREAM, mkv, persisted);
  }

  /** Writes {@code file} until the file system has no byte left. */
  private static void fill(Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int step : FILL_STEPS) {
        byte[] block = new byte[step];
        try {
          while (true) {
            out.write(block);
            out.flush();
          }
        } catch (IOException full) {
          // this step size no longer fits; try a smaller one
        }
      }
    }
  }

  private static boolean run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }
}
