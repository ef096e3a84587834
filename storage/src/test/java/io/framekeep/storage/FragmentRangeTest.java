package io.framekeep.storage;

import static io.framekeep.storage.Fixtures.CLOCK;
import static io.framekeep.storage.Fixtures.createStream;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** All tests only read the same randomly filled stream, so it is written once (every commit is an fsync). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FragmentRangeTest {

  private static final int FRAGMENTS = 600;
  private static final long SEED = 20260102L;

  @TempDir static Path dataDir;
  private EmbeddedStorage storage;
  private FragmentLog log;
  private long streamId;
  /** Oracle per origin: (timestamp, sequence) -> record. */
  private final Map<TimeOrigin, TreeMap<FragmentCursor, FragmentRecord>> oracle = new EnumMap<>(TimeOrigin.class);

  private static final Comparator<FragmentCursor> ORDER =
      Comparator.comparingLong(FragmentCursor::timestampMs).thenComparingLong(FragmentCursor::sequence);

  @BeforeAll
  void fill() throws Exception {
    storage = EmbeddedStorage.open(dataDir, CLOCK, new StorageOptions(4096));
    log = storage.fragments();
    streamId = createStream(storage, "cam");
    // A second stream with overlapping timestamps must never leak into results.
    long noise = createStream(storage, "noise");
    for (TimeOrigin origin : TimeOrigin.values()) {
      oracle.put(origin, new TreeMap<>(ORDER));
    }
    Random random = new Random(SEED);
    writeRandom(streamId, random, true);
    writeRandom(noise, random, false);
  }

  private void writeRandom(long stream, Random random, boolean record) throws Exception {
    long header = log.putHeader(stream, new byte[] {1});
    long serverMs = 1_000_000;
    long producerMs = 500_000;
    try (FragmentAppender appender = log.openAppender(stream)) {
      for (int i = 0; i < FRAGMENTS; i++) {
        int choice = random.nextInt(10);
        if (choice < 6) {
          producerMs += 2000;
        } else if (choice < 8) {
          producerMs -= random.nextInt(10_000); // out of order: a producer restarted or replayed
        } // else: same producer timestamp as the previous fragment (duplicate)
        serverMs += random.nextInt(3) * 1000; // increasing with duplicates
        appender.write(ByteBuffer.wrap(new byte[1 + random.nextInt(300)]));
        byte[] table = new byte[random.nextInt(20)];
        random.nextBytes(table);
        FragmentRecord committed = appender.commit(new FragmentMetadata(producerMs, serverMs, 2000, header, table));
        if (record) {
          for (TimeOrigin origin : TimeOrigin.values()) {
            oracle.get(origin).put(FragmentCursor.of(committed, origin), committed);
          }
        }
      }
    }
  }

  @AfterAll
  void close() throws Exception {
    storage.close();
  }

  @Test
  void range_randomWindowsBothOrigins_matchesOracle() {
    Random random = new Random(SEED + 1);
    for (TimeOrigin origin : TimeOrigin.values()) {
      TreeMap<FragmentCursor, FragmentRecord> byTime = oracle.get(origin);
      long min = byTime.firstKey().timestampMs();
      long max = byTime.lastKey().timestampMs();
      for (int q = 0; q < 200; q++) {
        long start = min - 5000 + (long) (random.nextDouble() * (max - min + 10_000));
        long end = start + random.nextInt(200_000) - 10_000;
        int limit = 1 + random.nextInt(50);

        List<FragmentRecord> actual = log.range(streamId, origin, start, end, null, limit);

        assertThat(actual).as("%s [%d, %d] limit %d", origin, start, end, limit)
            .containsExactlyElementsOf(expected(origin, start, end, null, limit));
      }
    }
  }

  @Test
  void range_pagedWithCursor_returnsEveryFragmentOnceInOrder() {
    for (TimeOrigin origin : TimeOrigin.values()) {
      TreeMap<FragmentCursor, FragmentRecord> byTime = oracle.get(origin);
      long start = byTime.firstKey().timestampMs() + 20_000;
      long end = byTime.lastKey().timestampMs() - 20_000;
      List<FragmentRecord> paged = new ArrayList<>();
      FragmentCursor after = null;
      while (true) {
        List<FragmentRecord> page = log.range(streamId, origin, start, end, after, 7);
        assertThat(page).containsExactlyElementsOf(expected(origin, start, end, after, 7));
        if (page.isEmpty()) {
          break;
        }
        paged.addAll(page);
        after = FragmentCursor.of(page.get(page.size() - 1), origin);
      }

      assertThat(paged).containsExactlyElementsOf(expected(origin, start, end, null, Integer.MAX_VALUE));
      assertThat(paged).isNotEmpty();
    }
  }

  @Test
  void range_duplicateProducerTimestamps_orderedBySequence() {
    TreeMap<FragmentCursor, FragmentRecord> byTime = oracle.get(TimeOrigin.PRODUCER);
    FragmentCursor duplicated = byTime.keySet().stream()
        .filter(k -> byTime.higherKey(k) != null && byTime.higherKey(k).timestampMs() == k.timestampMs())
        .findFirst().orElseThrow();
    long ts = duplicated.timestampMs();

    List<FragmentRecord> atTs = log.range(streamId, TimeOrigin.PRODUCER, ts, ts, null, 100);

    assertThat(atTs).hasSizeGreaterThan(1);
    assertThat(atTs).extracting(FragmentRecord::producerTimestampMs).containsOnly(ts);
    assertThat(atTs).extracting(FragmentRecord::sequence).isSorted();
    List<FragmentRecord> afterFirst = log.range(streamId, TimeOrigin.PRODUCER, ts, ts,
        FragmentCursor.of(atTs.get(0), TimeOrigin.PRODUCER), 100);
    assertThat(afterFirst).containsExactlyElementsOf(atTs.subList(1, atTs.size()));
  }

  @Test
  void range_cursorBeforeStartOrEmptyWindow_behaves() {
    long start = oracle.get(TimeOrigin.SERVER).firstKey().timestampMs() + 50_000;
    long end = start + 30_000;

    List<FragmentRecord> withEarlyCursor =
        log.range(streamId, TimeOrigin.SERVER, start, end, new FragmentCursor(start - 100_000, 99_999), 1000);

    assertThat(withEarlyCursor).containsExactlyElementsOf(expected(TimeOrigin.SERVER, start, end, null, 1000));
    assertThat(log.range(streamId, TimeOrigin.SERVER, end, start, null, 10)).isEmpty();
    assertThat(log.range(streamId, TimeOrigin.SERVER, start, end, null, 0)).isEmpty();
    assertThat(log.range(streamId + 1000, TimeOrigin.SERVER, Long.MIN_VALUE, Long.MAX_VALUE, null, 10)).isEmpty();
  }

  @Test
  void range_limitAboveMax_isCappedAtMaxRangeResults() {
    assertThat(log.range(streamId, TimeOrigin.SERVER, Long.MIN_VALUE, Long.MAX_VALUE, null, Integer.MAX_VALUE))
        .hasSize(Math.min(FRAGMENTS, FragmentLog.MAX_RANGE_RESULTS));
  }

  @Test
  void rangeQuery_bothOrigins_searchesIndexWithoutScanOrTempSort() throws Exception {
    for (TimeOrigin origin : TimeOrigin.values()) {
      List<String> plan = storage.database().explain(SqliteFragmentLog.rangeSql(origin), s -> {
        s.setLong(1, streamId);
        s.setLong(2, 0);
        s.setLong(3, 0);
        s.setLong(4, 1);
        s.setInt(5, 10);
      });

      String index = origin == TimeOrigin.PRODUCER ? "fragments_by_producer" : "fragments_by_server";
      assertThat(plan).as("plan %s", plan).anySatisfy(step -> assertThat(step).startsWith("SEARCH").contains(index));
      assertThat(plan).as("plan %s", plan).noneSatisfy(step -> assertThat(step).startsWith("SCAN"));
      assertThat(plan).as("plan %s", plan).noneSatisfy(step -> assertThat(step).contains("TEMP B-TREE"));
    }
  }

  private List<FragmentRecord> expected(TimeOrigin origin, long start, long end, FragmentCursor after, int limit) {
    if (start > end) {
      return List.of();
    }
    TreeMap<FragmentCursor, FragmentRecord> byTime = oracle.get(origin);
    FragmentCursor from = new FragmentCursor(start, 0);
    if (after != null && ORDER.compare(after, from) > 0) {
      from = after;
    }
    FragmentCursor to = new FragmentCursor(end, Long.MAX_VALUE);
    if (ORDER.compare(from, to) > 0) {
      return List.of();
    }
    return byTime.subMap(from, false, to, true).values().stream()
        .limit(Math.min(limit, FragmentLog.MAX_RANGE_RESULTS)).toList();
  }
}
