package io.framekeep.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The splitter against fake fragment lists: every fragment lands in exactly one piece. */
class ClipPlannerTest {
  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  static final long MB = 1024 * 1024;

  static Fragment frag(int n, long startMs, long lengthMs, long bytes) {
    Instant t = T0.plusMillis(startMs);
    return new Fragment(String.valueOf(1000 + n), t, t, lengthMs, bytes);
  }

  static List<Fragment> regular(int count, long bytes) {
    List<Fragment> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(frag(i, i * 1000L, 1000, bytes));
    }
    return out;
  }

  static void assertPartition(List<Fragment> in, List<ClipPiece> pieces) {
    assertPartition(in, pieces, TimestampType.PRODUCER);
  }

  /** Pieces hold every fragment once, in order, and each range selects only its own fragments. */
  static void assertPartition(List<Fragment> in, List<ClipPiece> pieces, TimestampType type) {
    List<Fragment> flat = pieces.stream().flatMap(p -> p.fragments().stream()).toList();
    assertThat(flat).containsExactlyElementsOf(in);
    for (int i = 0; i < pieces.size(); i++) {
      ClipPiece p = pieces.get(i);
      assertThat(p.end()).isAfter(p.start());
      for (Fragment f : in) {
        boolean inRange = !f.timestamp(type).isBefore(p.start())
            && !f.timestamp(type).isAfter(p.end());
        assertThat(inRange).as("fragment %s vs piece %d", f.fragmentNumber(), i)
            .isEqualTo(p.fragments().contains(f));
      }
    }
  }

  @Test
  void plan_450Fragments_piecesOf200() {
    List<Fragment> in = regular(450, 100_000);
    List<ClipPiece> pieces = ClipPlanner.plan(in, TimestampType.PRODUCER, ClipLimits.awsDefaults());
    assertThat(pieces).extracting(p -> p.fragments().size()).containsExactly(200, 200, 50);
    assertPartition(in, pieces);
  }

  @Test
  void plan_bigFragments_cutAt100MiB() {
    List<Fragment> in = regular(10, 30 * MB);
    List<ClipPiece> pieces = ClipPlanner.plan(in, TimestampType.PRODUCER, ClipLimits.awsDefaults());
    assertThat(pieces).extracting(p -> p.fragments().size()).containsExactly(3, 3, 3, 1);
    assertThat(pieces).allSatisfy(p -> assertThat(p.sizeBytes()).isLessThanOrEqualTo(100 * MB));
    assertPartition(in, pieces);
  }

  @Test
  void plan_fragmentOverByteLimit_getsOwnPiece() {
    List<Fragment> in = List.of(frag(0, 0, 1000, MB), frag(1, 1000, 1000, 120 * MB),
        frag(2, 2000, 1000, MB));
    List<ClipPiece> pieces = ClipPlanner.plan(in, TimestampType.PRODUCER, ClipLimits.awsDefaults());
    assertThat(pieces).extracting(p -> p.fragments().size()).containsExactly(1, 1, 1);
    assertPartition(in, pieces);
  }

  @Test
  void plan_gaps_onlyStartsMatter() {
    List<Fragment> in = List.of(frag(0, 0, 1000, MB), frag(1, 1000, 1000, MB),
        frag(2, 3_600_000, 1000, MB), frag(3, 3_601_000, 1000, MB), frag(4, 7_200_000, 1000, MB));
    List<ClipPiece> pieces = ClipPlanner.plan(in, TimestampType.PRODUCER,
        ClipLimits.awsDefaults().withMaxFragments(2));
    assertThat(pieces).extracting(p -> p.fragments().size()).containsExactly(2, 2, 1);
    assertPartition(in, pieces);
  }

  @Test
  void plan_overlaps_eachFragmentOnce() {
    // Fragments 3 s long starting every second: their media overlaps, their starts do not.
    List<Fragment> in = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      in.add(frag(i, i * 1000L, 3000, MB));
    }
    List<ClipPiece> pieces = ClipPlanner.plan(in, TimestampType.PRODUCER,
        ClipLimits.awsDefaults().withMaxFragments(3));
    assertThat(pieces).extracting(p -> p.fragments().size()).containsExactly(3, 3, 1);
    assertPartition(in, pieces);
  }

  @Test
  void plan_duplicateStarts_stayInOnePiece() {
    List<Fragment> in = List.of(frag(0, 0, 1000, MB), frag(1, 1000, 1000, MB),
        frag(2, 1000, 1000, MB), frag(3, 2000, 1000, MB));
    List<ClipPiece> pieces = ClipPlanner.plan(in, TimestampType.PRODUCER,
        ClipLimits.awsDefaults().withMaxFragments(2));
    assertThat(pieces).extracting(p -> p.fragments().size()).containsExactly(1, 2, 1);
    assertPartition(in, pieces);
  }

  @Test
  void plan_nextStartsOneMsLater_singleInstantPieceReachesBack() {
    List<Fragment> in = List.of(frag(0, 0, 1, MB), frag(1, 1, 1000, MB), frag(2, 5000, 1000, MB));
    List<ClipPiece> pieces = ClipPlanner.plan(in, TimestampType.PRODUCER,
        ClipLimits.awsDefaults().withMaxFragments(1));
    assertThat(pieces).extracting(p -> p.fragments().size()).containsExactly(1, 1, 1);
    assertThat(pieces.get(0).start()).isEqualTo(T0.minusMillis(1));
    assertThat(pieces.get(0).end()).isEqualTo(T0);
    assertPartition(in, pieces);
  }

  @Test
  void plan_neighboursOneMsBothSides_joinsSingleInstantPiece() {
    List<Fragment> in = List.of(frag(0, 0, 1, MB), frag(1, 1, 1, MB), frag(2, 2, 1000, MB));
    List<ClipPiece> pieces = ClipPlanner.plan(in, TimestampType.PRODUCER,
        ClipLimits.awsDefaults().withMaxFragments(1));
    assertThat(pieces).extracting(p -> p.fragments().size()).containsExactly(1, 2);
    assertPartition(in, pieces);
  }

  /**
   * Server timestamps of an unpaced upload: a run of fragments sharing one millisecond, with the
   * next piece's first fragment 1 ms later. Halving the first piece gives a single-instant part
   * whose 1 ms range must not reach that fragment (it did: the clip had it twice).
   */
  @Test
  void halve_tiedPartNextToNeighbourPiece_neverReachesIt() {
    List<Fragment> in = starts(0, 0, 2, 2, 2, 3, 5, 5, 5, 5);
    List<ClipPiece> pieces = ClipPlanner.plan(in, TimestampType.SERVER,
        ClipLimits.awsDefaults().withMaxFragments(5));
    assertThat(pieces).extracting(p -> p.fragments().size()).containsExactly(5, 5);
    List<ClipPiece> halves = ClipPlanner.halve(pieces.get(0), TimestampType.SERVER,
        ClipLimits.awsDefaults().withMaxFragments(5));
    assertThat(halves).extracting(p -> p.fragments().size()).containsExactly(2, 3);
    assertThat(halves.get(1).start()).isEqualTo(T0.plusMillis(1));
    assertThat(halves.get(1).end()).isEqualTo(T0.plusMillis(2));
    List<ClipPiece> all = new ArrayList<>(halves);
    all.add(pieces.get(1));
    assertPartition(in, all, TimestampType.SERVER);
  }

  /**
   * Every way 10 fragments can share or skip milliseconds (gaps of 0, 1 or 2 ms: 3^9 lists),
   * halved again and again down to single groups: at every level, each piece's range selects
   * exactly its own fragments from the whole list.
   */
  @Test
  void halve_everyTiePatternOfTenFragments_piecesPartitionWholeListAtEveryLevel() {
    for (int code = 0; code < 19_683; code++) {
      long[] startMs = new long[10];
      int rest = code;
      for (int i = 1; i < 10; i++) {
        startMs[i] = startMs[i - 1] + rest % 3;
        rest /= 3;
      }
      List<Fragment> in = starts(startMs);
      List<ClipPiece> level = ClipPlanner.plan(in, TimestampType.SERVER, ClipLimits.awsDefaults());
      for (int depth = 0; depth < 5; depth++) {
        assertPartition(in, level, TimestampType.SERVER);
        List<ClipPiece> next = new ArrayList<>();
        for (ClipPiece p : level) {
          next.addAll(ClipPlanner.halve(p, TimestampType.SERVER, ClipLimits.awsDefaults()));
        }
        level = next;
      }
    }
  }

  /** Fragments starting at these offsets from T0 (both clocks), 1 s long, 1 MiB each. */
  static List<Fragment> starts(long... startMs) {
    List<Fragment> out = new ArrayList<>();
    for (int i = 0; i < startMs.length; i++) {
      out.add(frag(i, startMs[i], 1000, MB));
    }
    return out;
  }

  @Test
  void plan_spanOver24Hours_splits() {
    List<Fragment> in = List.of(frag(0, 0, 1000, MB), frag(1, Duration.ofHours(25).toMillis(), 1000, MB));
    List<ClipPiece> pieces = ClipPlanner.plan(in, TimestampType.PRODUCER, ClipLimits.awsDefaults());
    assertThat(pieces).hasSize(2);
    assertPartition(in, pieces);
  }

  @Test
  void halve_fivePieces_threeAndTwo() {
    ClipPiece piece = ClipPlanner.plan(regular(5, MB), TimestampType.PRODUCER,
        ClipLimits.awsDefaults()).get(0);
    assertThat(ClipPlanner.halve(piece, TimestampType.PRODUCER, ClipLimits.awsDefaults()))
        .extracting(p -> p.fragments().size()).containsExactly(3, 2);
  }
}
