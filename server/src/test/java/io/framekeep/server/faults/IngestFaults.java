package io.framekeep.server.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.api.FragmentNumbers;
import io.framekeep.server.crash.PutMediaUpload;
import io.framekeep.server.crash.PutMediaUpload.Ack;
import io.framekeep.server.crash.TestMkv;
import io.framekeep.storage.ByteRange;
import io.framekeep.storage.ByteSource;
import io.framekeep.storage.EmbeddedStorage;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Shared steps of the storage fault tests: uploads, ack checks and the on-disk comparison. */
final class IngestFaults {
  static final int ARCHIVAL_ERROR = 5001;
  static final long ACK_TIMEOUT_MS = 30_000;

  private IngestFaults() {}

  /** Uploads all of {@code mkv} in one PutMedia and returns every ack once the response ends. */
  static List<Ack> upload(int port, String stream, TestMkv mkv) throws Exception {
    try (PutMediaUpload upload = PutMediaUpload.send(port, stream, mkv, System.currentTimeMillis(), 0,
        ack -> { })) {
      return upload.awaitAcks(ACK_TIMEOUT_MS);
    }
  }

  static List<Ack> ofType(List<Ack> acks, String eventType) {
    return acks.stream().filter(a -> a.eventType().equals(eventType)).toList();
  }

  /** The number the BUFFERING ack gave the fragment of this cluster timecode. */
  static String bufferingNumber(List<Ack> acks, long clusterTimecode) {
    return ofType(acks, "BUFFERING").stream().filter(a -> a.fragmentTimecode() == clusterTimecode)
        .findFirst().orElseThrow().fragmentNumber();
  }

  /** Sequence -> cluster index of every PERSISTED ack. */
  static void collectPersisted(List<Ack> acks, TestMkv mkv, Map<Long, Integer> into) {
    for (Ack ack : ofType(acks, "PERSISTED")) {
      int cluster = -1;
      for (int i = 0; i < mkv.clusterTimecodes().length; i++) {
        if (mkv.clusterTimecodes()[i] == ack.fragmentTimecode()) {
          cluster = i;
        }
      }
      into.put(FragmentNumbers.parse(ack.fragmentNumber()).orElseThrow(), cluster);
    }
  }

  /** Total bytes of the stream's segment files, read before any recovery could truncate them. */
  static long segmentBytes(Path dataDir) throws IOException {
    try (Stream<Path> files = Files.walk(dataDir.resolve("streams"))) {
      long total = 0;
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".seg"))::iterator) {
        total += Files.size(f);
      }
      return total;
    }
  }

  /**
   * Opens the (closed) data directory and checks every persisted fragment is stored byte for byte as
   * the cluster sent, and that no other fragment exists.
   */
  static void assertStoredExactly(Path dataDir, String stream, TestMkv mkv, Map<Long, Integer> persisted)
      throws IOException {
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, Clock.systemUTC())) {
      long streamId = storage.catalog().byName(stream).orElseThrow().streamId();
      for (Map.Entry<Long, Integer> e : persisted.entrySet()) {
        FragmentRecord f = storage.fragments().bySequence(streamId, e.getKey()).orElseThrow();
        assertThat(read(storage.fragments(), f)).as("fragment %d", e.getKey()).isEqualTo(mkv.clusters().get(e.getValue()));
      }
      assertThat(storage.fragments().bySequence(streamId, persisted.size() + 1L)).isEmpty();
    }
  }

  static long clusterBytes(TestMkv mkv, Map<Long, Integer> persisted) {
    return persisted.values().stream().mapToLong(i -> mkv.clusters().get(i).length).sum();
  }

  private static byte[] read(FragmentLog log, FragmentRecord f) throws IOException {
    try (ByteSource source = log.open(ByteRange.whole(f))) {
      ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(f.lengthBytes()));
      source.read(0, buffer);
      return buffer.array();
    }
  }
}
