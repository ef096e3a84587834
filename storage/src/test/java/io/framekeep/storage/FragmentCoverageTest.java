package io.framekeep.storage;

import static io.framekeep.storage.Fixtures.CLOCK;
import static io.framekeep.storage.Fixtures.createStream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.storage.FragmentCoverage.Coverage;
import io.framekeep.storage.FragmentCoverage.Span;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage against an oracle that merges the same fragments in Java, and at the size of a week of
 * 1 s fragments. Index rows are inserted directly (no segment bytes): coverage reads the index only.
 */
class FragmentCoverageTest {
  /** What the timeline promises: a week of 1 s fragments in well under a second. */
  private static final long WEEK_BUDGET_MS = 1_000;

  /** 100 bytes: real frame tables are about 1 KB a second; enough to make reading rows costly. */
  private static final byte[] FRAME_TABLE = new byte[100];

  @TempDir Path dataDir;
  private EmbeddedStorage storage;
  private long streamId;
  private long headerId;

  /** One synthetic index row. */
  private record Row(long producerMs, long serverMs, long durationMs) {}

  @BeforeEach
  void open() throws Exception {
    storage = EmbeddedStorage.open(dataDir, CLOCK);
    streamId = createStream(storage, "cam");
    headerId = storage.fragments().putHeader(streamId, new byte[] {1});
  }

  @AfterEach
  void close() throws Exception {
    storage.close();
  }

  @Test
  void coverage_randomGapsAndOverlaps_matchesOracle() throws Exception {
    Random random = new Random(20261204L);
    List<Row> rows = new ArrayList<>();
    long t = 1_000_000;
    for (int i = 0; i < 3_000; i++) {
      long duration = 200 + random.nextInt(1_800);
      rows.add(new Row(t, t + 7, duration));
      int kind = random.nextInt(10);
      // Mostly back to back; sometimes a small or large gap; sometimes an overlap.
      t += kind < 6 ? duration : kind < 8 ? duration + random.nextInt(400) : kind < 9
          ? duration + 5_000 + random.nextInt(60_000) : duration / 2;
    }
    insert(streamId, headerId, rows);
    long noise = createStream(storage, "noise");
    insert(noise, storage.fragments().putHeader(noise, new byte[] {2}),
        List.of(new Row(1_500_000, 1_500_000, 90_000_000)));
    for (long tolerance : new long[] {0, 100, 1_000}) {
      long start = 1_200_000;
      long end = t - 50_000;
      Coverage got = storage.coverage().coverage(
          streamId, TimeOrigin.PRODUCER, start, end, 60_000, tolerance, 100_000);
      assertThat(got.spans()).isEqualTo(oracleSpans(rows, start, end, tolerance));
      assertThat(got.spansTruncated()).isFalse();
      assertThat(got.fragmentsPerBucket()).containsExactly(oracleBuckets(rows, start, end, 60_000));
    }
  }

  @Test
  void coverage_moreSpansThanAsked_returnsTheFirstAndSaysTruncated() throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(new Row(i * 10_000L, i * 10_000L, 1_000));
    }
    insert(streamId, headerId, rows);
    Coverage got = storage.coverage().coverage(streamId, TimeOrigin.SERVER, 0, 100_000, 10_000, 0, 3);
    assertThat(got.spans()).containsExactly(
        new Span(0, 1_000, 1), new Span(10_000, 11_000, 1), new Span(20_000, 21_000, 1));
    assertThat(got.spansTruncated()).isTrue();
    assertThat(got.fragmentsPerBucket()).hasSize(11).containsOnly(1, 0);
  }

  @Test
  void coverage_emptyRange_noSpansAndZeroBuckets() {
    Coverage got = storage.coverage().coverage(streamId, TimeOrigin.PRODUCER, 0, 9_999, 1_000, 0, 10);
    assertThat(got.spans()).isEmpty();
    assertThat(got.fragmentsPerBucket()).containsExactly(new int[10]);
  }

  @Test
  void coverage_tooManyBuckets_refused() {
    assertThatThrownBy(() -> storage.coverage().coverage(
        streamId, TimeOrigin.PRODUCER, 0, FragmentCoverage.MAX_BUCKETS, 1, 0, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void coverage_weekOfOneSecondFragmentsWithAGap_underOneSecond() throws Exception {
    long weekStartMs = 1_790_000_000_000L;
    int fragments = 7 * 24 * 3600;
    long gapAtMs = weekStartMs + 3L * 24 * 3600 * 1000;
    List<Row> rows = new ArrayList<>(fragments);
    for (int i = 0; i < fragments; i++) {
      long t = weekStartMs + i * 1000L;
      if (t >= gapAtMs && t < gapAtMs + 30_000) {
        continue; // a 30 s gap, three days in
      }
      rows.add(new Row(t, t + 40, 1000));
    }
    insert(streamId, headerId, rows);
    long endMs = weekStartMs + fragments * 1000L;
    long bucketMs = (endMs - weekStartMs) / 1000 + 1;
    storage.coverage().coverage(streamId, TimeOrigin.PRODUCER, weekStartMs, endMs, bucketMs, 100, 10_000);
    long best = Long.MAX_VALUE;
    Coverage got = null;
    for (int run = 0; run < 3; run++) {
      long t0 = System.nanoTime();
      got = storage.coverage().coverage(
          streamId, TimeOrigin.PRODUCER, weekStartMs, endMs, bucketMs, 100, 10_000);
      best = Math.min(best, (System.nanoTime() - t0) / 1_000_000);
    }
    System.out.printf("coverage of %d fragments: best of 3 %d ms%n", rows.size(), best);
    assertThat(got.spans()).containsExactly(
        new Span(weekStartMs, gapAtMs, (gapAtMs - weekStartMs) / 1000),
        new Span(gapAtMs + 30_000, endMs, (endMs - gapAtMs - 30_000) / 1000));
    assertThat(java.util.Arrays.stream(got.fragmentsPerBucket()).sum()).isEqualTo(rows.size());
    assertThat(best).isLessThan(WEEK_BUDGET_MS);
  }

  @Test
  void coverage_producerTime_readsOnlyTheCoveringIndex() {
    String plan = storage.database().call("plan", c -> {
      try (var s = c.prepareStatement("EXPLAIN QUERY PLAN SELECT producer_ms, duration_ms"
          + " FROM fragments WHERE stream_id = 1 AND producer_ms BETWEEN 0 AND 9"
          + " ORDER BY producer_ms, sequence"); var rows = s.executeQuery()) {
        StringBuilder text = new StringBuilder();
        while (rows.next()) {
          text.append(rows.getString(4)).append('\n');
        }
        return text.toString();
      }
    });
    assertThat(plan).contains("COVERING INDEX fragments_coverage").doesNotContain("TEMP B-TREE");
  }

  private void insert(long stream, long header, List<Row> rows) {
    long[] sequence = {0};
    storage.database().call("test insert", c -> {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO fragments ("
          + SqliteFragmentLog.FRAGMENT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, 1, 0, 100, ?, ?)")) {
        for (Row r : rows) {
          s.setLong(1, stream);
          s.setLong(2, ++sequence[0]);
          s.setLong(3, r.producerMs());
          s.setLong(4, r.serverMs());
          s.setLong(5, r.durationMs());
          s.setLong(6, header);
          s.setBytes(7, FRAME_TABLE);
          s.addBatch();
        }
        s.executeBatch();
      }
      return null;
    });
  }

  private static List<Span> oracleSpans(List<Row> rows, long startMs, long endMs, long toleranceMs) {
    List<Span> spans = new ArrayList<>();
    long spanStart = 0;
    long spanEnd = Long.MIN_VALUE;
    long count = 0;
    for (Row r : rows) {
      if (r.producerMs() < startMs || r.producerMs() > endMs) {
        continue;
      }
      if (count > 0 && r.producerMs() > spanEnd + toleranceMs) {
        spans.add(new Span(spanStart, spanEnd, count));
        count = 0;
      }
      if (count == 0) {
        spanStart = r.producerMs();
        spanEnd = Long.MIN_VALUE;
      }
      spanEnd = Math.max(spanEnd, r.producerMs() + r.durationMs());
      count++;
    }
    if (count > 0) {
      spans.add(new Span(spanStart, spanEnd, count));
    }
    return spans;
  }

  private static int[] oracleBuckets(List<Row> rows, long startMs, long endMs, long bucketMs) {
    int[] counts = new int[(int) ((endMs - startMs) / bucketMs + 1)];
    for (Row r : rows) {
      if (r.producerMs() >= startMs && r.producerMs() <= endMs) {
        counts[(int) ((r.producerMs() - startMs) / bucketMs)]++;
      }
    }
    return counts;
  }
}
