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

import io.framekeep.api.FragmentNumbers;
import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.crash.ApiCalls;
import io.framekeep.server.crash.PutMediaUpload.Ack;
import io.framekeep.server.crash.TestMkv;
import io.framekeep.storage.faults.FaultInjectingFragmentLog;
import io.framekeep.storage.faults.StorageFaults;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A storage failure in the middle of a PutMedia upload, injected by {@link FaultInjectingFragmentLog}: the
 * upload gets an ERROR ack 5001 (ARCHIVAL_ERROR) naming the failed fragment and the server logs it; the
 * fragments persisted before stay listed and byte-identical, the failed one leaves no bytes behind, and once
 * the fault clears a new upload persists again, also across a restart.
 */
class StorageFaultTest {
  private static final String STREAM = "cam";
  /** The fault strikes the fourth fragment of the first upload. */
  private static final int FRAGMENTS_BEFORE_FAULT = 3;

  @TempDir static Path mediaDir;
  private static TestMkv mkv;

  @TempDir Path dir;

  @BeforeAll
  static void encode() throws Exception {
    mkv = TestMkv.encode(mediaDir, 6);
  }

  @ParameterizedTest
  @EnumSource(StorageFaults.Point.class)
  void putMedia_storageFailsInFourthFragment_errorAck5001AndEarlierFragmentsIntact(StorageFaults.Point point)
      throws Exception {
    Path dataDir = dir.resolve("data");
    ServerConfig config = ServerConfig.defaults(dataDir).withPort(0).withNoAuth();
    StorageFaults faults = new StorageFaults();
    Map<Long, Integer> persisted = new TreeMap<>();
    long failedTimecode = mkv.clusterTimecodes()[FRAGMENTS_BEFORE_FAULT];
    try (LogCapture log = new LogCapture(Class.forName("io.framekeep.server.ingest.PutMediaSession"));
        FramekeepServer server =
            FramekeepServer.start(config, fragments -> new FaultInjectingFragmentLog(fragments, faults))) {
      ApiCalls api = new ApiCalls(server.port());
      api.createStream(STREAM, 24);
      faults.failAfter(point, FRAGMENTS_BEFORE_FAULT);

      List<Ack> acks = upload(server.port(), STREAM, mkv);

      collectPersisted(acks, mkv, persisted);
      assertThat(persisted).containsOnlyKeys(1L, 2L, 3L).containsValues(0, 1, 2);
      List<Ack> errors = ofType(acks, "ERROR");
      String failedNumber = bufferingNumber(acks, failedTimecode);
      assertThat(errors).containsExactly(new Ack("ERROR", failedTimecode, failedNumber, ARCHIVAL_ERROR));
      assertThat(log.errors()).anySatisfy(line -> assertThat(line)
          .contains("archiving fragment " + failedNumber + " failed")
          .contains(StorageFaults.NO_SPACE));
      assertThat(api.listFragmentNumbers(STREAM, 0, System.currentTimeMillis() + 60_000))
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 3).mapToObj(FragmentNumbers::format).toList());
      assertThat(segmentBytes(dataDir)).as("no torn bytes after the fault").isEqualTo(clusterBytes(mkv, persisted));

      faults.clear();
      List<Ack> again = upload(server.port(), STREAM, mkv);

      assertThat(ofType(again, "ERROR")).isEmpty();
      assertThat(ofType(again, "PERSISTED")).hasSize(mkv.clusters().size());
      Map<Long, Integer> second = new TreeMap<>();
      collectPersisted(again, mkv, second);
      persisted.putAll(second);
      assertThat(persisted).hasSize(FRAGMENTS_BEFORE_FAULT + mkv.clusters().size());
    }
    assertThat(segmentBytes(dataDir)).isEqualTo(clusterBytes(mkv, persisted));

    try (FramekeepServer restarted = FramekeepServer.start(config)) {
      assertThat(new ApiCalls(restarted.port()).listFragmentNumbers(STREAM, 0, System.currentTimeMillis()))
          .hasSize(persisted.size());
    }
    assertStoredExactly(dataDir, STREAM, mkv, persisted);
  }
}
