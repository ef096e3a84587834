package io.framekeep.bench;

import io.framekeep.storage.EmbeddedStorage;
import io.framekeep.storage.StreamRecord;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Figure 5: start-up with 1,000,000 archived fragments. The data directory is synthesised quickly rather than
 * ingested (a million fsync'd commits would take the better part of an hour): streams and headers are created
 * through the storage API, then the fragment rows are bulk-inserted with the storage schema (1 KiB frame-table
 * blob each, 100-byte payloads) and each stream's segment file is written to match, so recovery finds a
 * consistent, fully committed directory. Measured: EmbeddedStorage.open (recovery included) in-process, and a
 * server JVM from exec to listening, then its first ListFragments.
 */
final class ColdStartBench {
  static final int PAYLOAD_BYTES = 100;
  static final int FRAME_TABLE_BYTES = 1024;

  private ColdStartBench() {}

  static void run(Path work, int fragments, int streams) throws Exception {
    Path dataDir = DataDirs.create(work, "cold-data-");
    try {
      measure(work, dataDir, fragments, streams);
    } finally {
      DataDirs.delete(dataDir);
    }
  }

  private static void measure(Path work, Path dataDir, int fragments, int streams) throws Exception {
    int perStream = fragments / streams;
    long[] ids = new long[streams];
    try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, Clock.systemUTC())) {
      for (int s = 0; s < streams; s++) {
        StreamRecord r = storage.catalog().create(new StreamRecord(0, "cold" + s,
            "arn:aws:kinesisvideo:us-east-1:000000000000:stream/cold" + s + "/1", null, "video/h264", null, "v1",
            "ACTIVE", 1, 8760, "HOT"), Map.of());
        ids[s] = r.streamId();
        storage.fragments().putHeader(ids[s], new byte[] {(byte) s});
      }
    }
    long t0 = System.nanoTime();
    byte[] table = new byte[FRAME_TABLE_BYTES];
    new Random(1).nextBytes(table);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("framekeep.db"))) {
      c.setAutoCommit(false);
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO fragments (stream_id, sequence, producer_ms,"
          + " server_ms, duration_ms, segment_id, segment_offset, length_bytes, header_id, frame_table)"
          + " VALUES (?, ?, ?, ?, 1000, 1, ?, ?, (SELECT header_id FROM headers WHERE stream_id = ?), ?)")) {
        for (int s = 0; s < streams; s++) {
          for (int i = 0; i < perStream; i++) {
            long ms = 1_700_000_000_000L + i * 1000L;
            ins.setLong(1, ids[s]);
            ins.setLong(2, i + 1);
            ins.setLong(3, ms);
            ins.setLong(4, ms);
            ins.setLong(5, (long) i * PAYLOAD_BYTES);
            ins.setLong(6, PAYLOAD_BYTES);
            ins.setLong(7, ids[s]);
            ins.setBytes(8, table);
            ins.addBatch();
            if (i % 10_000 == 9_999) {
              ins.executeBatch();
            }
          }
          ins.executeBatch();
          Path dir = Files.createDirectories(dataDir.resolve("streams").resolve(Long.toString(ids[s])));
          try (FileChannel seg = FileChannel.open(dir.resolve("1.seg"), StandardOpenOption.CREATE,
              StandardOpenOption.WRITE)) {
            seg.truncate(0);
            seg.write(java.nio.ByteBuffer.allocate(perStream * PAYLOAD_BYTES));
          }
        }
      }
      try (Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE streams SET last_sequence = " + perStream);
      }
      c.commit();
    }
    System.out.printf(Locale.ROOT, "coldstart: synthesised %d fragments in %d streams in %.1f s; db %.0f MB%n",
        (long) perStream * streams, streams, (System.nanoTime() - t0) / 1e9,
        Files.size(dataDir.resolve("framekeep.db")) / 1e6);
    double[] open = new double[5];
    for (int i = 0; i < open.length; i++) {
      long t = System.nanoTime();
      try (EmbeddedStorage storage = EmbeddedStorage.open(dataDir, Clock.systemUTC())) {
        open[i] = (System.nanoTime() - t) / 1e6;
      }
    }
    double[] start = new double[3];
    double[] firstList = new double[3];
    for (int i = 0; i < start.length; i++) {
      try (ServerProcess server = ServerProcess.start(dataDir, work, null, false)) {
        start[i] = server.startMs;
        RawHttp.Result r = RawHttp.post(server.port, "/listFragments", "{\"StreamName\":\"cold0\",\"MaxResults\":1000,"
            + "\"FragmentSelector\":" + RawHttp.range("SERVER_TIMESTAMP", 1_700_000_000_000L,
                1_700_000_000_000L + 86_400_000L) + "}");
        if (r.status() != 200) {
          throw new IllegalStateException("listFragments " + r.status() + " " + r.bodyPrefix());
        }
        firstList[i] = r.totalMs();
      }
    }
    System.out.printf(Locale.ROOT, "coldstart: EmbeddedStorage.open median %s ms; server exec-to-listening median %s ms;"
        + " first ListFragments (1000 rows) median %s ms%n", Stats.fmt(Stats.median(open)),
        Stats.fmt(Stats.median(start)), Stats.fmt(Stats.median(firstList)));
  }
}
