package io.framekeep.server.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.api.FragmentNumbers;
import io.framekeep.api.error.ApiException;
import io.framekeep.api.model.StartSelector;
import io.framekeep.storage.FragmentRecord;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start positions of GetMedia selectors and the stream ends, against a real fragment log. */
class StreamPositionsTest {
  @TempDir Path dir;

  private static StartSelector selector(String type, String number, Long epochMs, String token) {
    return new StartSelector(type, number, epochMs == null ? null : Instant.ofEpochMilli(epochMs),
        token);
  }

  @Test
  void latest_anyFragmentCount_isTheHighestSequence() throws Exception {
    try (TestLog log = new TestLog(dir, "s")) {
      StreamPositions positions = new StreamPositions(log.storage.fragments(), 20_000);
      assertThat(positions.latest(log.stream.streamId())).isEmpty();
      for (int count : new int[] {1, 2, 3, 7, 16, 33}) {
        log.append(count - log.fragments.size());
        assertThat(positions.latest(log.stream.streamId()))
            .map(FragmentRecord::sequence).contains((long) count);
      }
    }
  }

  @Test
  void firstSequence_eachSelectorType_startsWhereKvsDoes() throws Exception {
    try (TestLog log = new TestLog(dir, "s")) {
      log.append(10);
      long id = log.stream.streamId();
      StreamPositions positions = new StreamPositions(log.storage.fragments(), 20_000);
      Optional<FragmentRecord> latest = positions.latest(id);
      long third = log.fragments.get(2).sequence();
      String thirdNumber = FragmentNumbers.format(third);

      assertThat(positions.firstSequence(id, selector("EARLIEST", null, null, null), latest))
          .isEqualTo(1);
      assertThat(positions.firstSequence(id, selector("NOW", null, null, null), latest))
          .isEqualTo(10);
      assertThat(positions.firstSequence(id, selector("FRAGMENT_NUMBER", thirdNumber, null, null),
          latest)).isEqualTo(third + 1);
      assertThat(positions.firstSequence(id, selector("CONTINUATION_TOKEN", null, null,
          thirdNumber), latest)).isEqualTo(third + 1);
      // Producer time 2500 lies inside fragment 2 (2000..3000).
      assertThat(positions.firstSequence(id, selector("PRODUCER_TIMESTAMP", null, 2500L, null),
          latest)).isEqualTo(third);
      assertThat(positions.firstSequence(id, selector("SERVER_TIMESTAMP", null, 52_000L, null),
          latest)).isEqualTo(third);
      // Before everything: the first fragment; after everything: the next one to arrive.
      assertThat(positions.firstSequence(id, selector("SERVER_TIMESTAMP", null, 0L, null),
          latest)).isEqualTo(1);
      assertThat(positions.firstSequence(id, selector("PRODUCER_TIMESTAMP", null, 99_000L, null),
          latest)).isEqualTo(11);
    }
  }

  @Test
  void firstSequence_unknownOrForeignNumbers_invalidArgument() throws Exception {
    try (TestLog log = new TestLog(dir, "s")) {
      log.append(2);
      long id = log.stream.streamId();
      StreamPositions positions = new StreamPositions(log.storage.fragments(), 20_000);
      Optional<FragmentRecord> latest = positions.latest(id);
      assertThatThrownBy(() -> positions.firstSequence(id,
          selector("FRAGMENT_NUMBER", FragmentNumbers.format(3), null, null), latest))
          .isInstanceOf(ApiException.class).hasMessageContaining("not a fragment of this stream");
      assertThatThrownBy(() -> positions.firstSequence(id,
          selector("CONTINUATION_TOKEN", null, null, "abc"), latest))
          .isInstanceOf(ApiException.class).hasMessageContaining("not issued");
    }
  }

  @Test
  void firstSequence_emptyStream_waitsForTheFirstFragment() throws Exception {
    try (TestLog log = new TestLog(dir, "s")) {
      StreamPositions positions = new StreamPositions(log.storage.fragments(), 20_000);
      assertThat(positions.firstSequence(log.stream.streamId(),
          selector("EARLIEST", null, null, null), Optional.empty())).isEqualTo(1);
      assertThat(positions.firstSequence(log.stream.streamId(),
          selector("NOW", null, null, null), Optional.empty())).isEqualTo(1);
    }
  }
}
