package io.framekeep.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a GetClip piece selected by server timestamps counts as cut short by the service. */
class LongClipDownloaderTest {
  private static final Instant ARRIVAL = Instant.parse("2026-12-04T10:00:00Z");
  private static final long TIMESCALE = 90_000;

  @Test
  void truncated_fiveFragmentsSharingArrivalClipHoldsFour_true() {
    assertThat(LongClipDownloader.truncated(piece(5, 1000), movie(4000),
        TimestampType.SERVER)).isTrue();
  }

  @Test
  void truncated_fiveFragmentsAllThere_false() {
    assertThat(LongClipDownloader.truncated(piece(5, 1000), movie(5000),
        TimestampType.SERVER)).isFalse();
  }

  /** Lengths over all tracks (older archives) overstate 1.000 s fragments by up to 4.5 %. */
  @Test
  void truncated_twoHundredOverstatedLengthsAllThere_false() {
    assertThat(LongClipDownloader.truncated(piece(200, 1045), movie(200_000),
        TimestampType.SERVER)).isFalse();
  }

  private static ClipPiece piece(int fragments, long lengthMs) {
    List<Fragment> list = new ArrayList<>();
    for (int i = 0; i < fragments; i++) {
      list.add(new Fragment("9134385233318143239268206260774392014" + (600 + i),
          ARRIVAL.plusSeconds(i), ARRIVAL, lengthMs, 1000));
    }
    return new ClipPiece(list, ARRIVAL, ARRIVAL.plusMillis(1), null, null);
  }

  /** A piece whose one video track lasts {@code durationMs}, as one sample. */
  private static PieceMovie movie(long durationMs) {
    long[] deltas = {durationMs * TIMESCALE / 1000};
    PieceTrack video = new PieceTrack(1, "vide", TIMESCALE, 0, 0, 0, 0, new byte[0], new byte[0],
        new byte[0], new byte[0], new int[] {1}, deltas, new int[] {0}, new long[] {1},
        new long[] {0}, new int[] {1}, 0, 0, 1000);
    return new PieceMovie(Path.of("piece.mp4"), 1000, List.of(video), 0, 1);
  }
}
