package io.framekeep.storage.cluster;

import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Streams written through one test node so that their fragments share objects, as a node's batching makes them
 * in production: each round appends one fragment to every stream before waiting for any, so one flush carries
 * all of them. Also the ledger queries the maintenance tests check.
 */
final class Interleaved {

  private Interleaved() {}

  /**
   * Writes {@code rounds} fragments to each stream (payload seed {@code streamId * 1000 + round}, sizes varying
   * with the round) and returns each stream's payloads by sequence.
   */
  static Map<Long, List<byte[]>> write(TestNode node, List<Long> streamIds, int rounds, int baseBytes)
      throws Exception {
    Map<Long, FragmentAppender> appenders = new LinkedHashMap<>();
    Map<Long, List<byte[]>> payloads = new LinkedHashMap<>();
    try {
      for (long id : streamIds) {
        appenders.put(id, node.storage.fragments().openAppender(id));
        payloads.put(id, new ArrayList<>());
      }
      for (int round = 0; round < rounds; round++) {
        List<CompletableFuture<FragmentRecord>> done = new ArrayList<>();
        for (long id : streamIds) {
          long header = node.storage.fragments().putHeader(id, new byte[] {1, (byte) id});
          byte[] payload = TestNode.payload((int) id * 1000 + round, baseBytes + 997 * round + 13 * (int) id);
          payloads.get(id).add(payload);
          done.add(TestNode.append(appenders.get(id), payload, header, 1000L * round));
        }
        for (CompletableFuture<FragmentRecord> d : done) {
          d.get(90, TimeUnit.SECONDS);
        }
      }
    } finally {
      for (FragmentAppender a : appenders.values()) {
        a.close();
      }
    }
    return payloads;
  }

  /** Each stored fragment's payload, read back through the node's ranged reader, by sequence (from 1). */
  static List<byte[]> read(TestNode node, long streamId) throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (long seq = 1; ; seq++) {
      var record = node.index.bySequence(streamId, seq);
      if (record.isEmpty()) {
        return out;
      }
      out.add(node.read(record.get()));
    }
  }

  /** How many objects are in {@code state}. */
  static long objects(TestNode node, String state) throws IOException {
    return node.count("SELECT COUNT(*) FROM objects WHERE state = '" + state + "'");
  }

  /** Distinct objects the stream's fragment rows point into, and of which kind. */
  static List<String> kindsOf(TestNode node, long streamId) throws IOException {
    return node.storage.database().io("kinds", c -> Sql.query(c, "SELECT DISTINCT o.kind FROM fragments f"
        + " JOIN objects o USING (object_id) WHERE f.stream_id = ? ORDER BY 1", s -> s.setLong(1, streamId),
        row -> row.getString(1)));
  }

  /** Keys of the objects in {@code state}. */
  static List<String> keys(TestNode node, String state) throws IOException {
    return node.storage.database().io("keys", c -> Sql.query(c, "SELECT object_key FROM objects WHERE state = ?"
        + " ORDER BY object_id", s -> s.setString(1, state), row -> row.getString(1)));
  }

  /** Whether the bucket holds {@code key} (a one-byte ranged GET). */
  static boolean inBucket(TestNode node, String key) throws IOException {
    try (var in = node.store.openRange(key, 0, 1)) {
      return in.read() >= 0;
    } catch (java.nio.file.NoSuchFileException e) {
      return false;
    }
  }
}
