package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;

/**
 * Server timestamps when every fragment arrives in the same millisecond: the server's clock is
 * frozen (the extreme of an upload faster than real time), yet each fragment of the stream gets
 * its own server timestamp, 1 ms after the previous one, across PutMedia sessions too, so a
 * SERVER_TIMESTAMP range selects fragments one by one.
 */
class ServerTimestampTiesTest {
  /**
   * Frozen at start-up: the SigV4 check against it holds for the few seconds the test takes.
   * AWS's per-stream rates are off: they are measured on this clock, so on it an upload paced to
   * them would never finish.
   */
  private static final Instant FROZEN = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.configured(c -> c
      .withClock(Clock.fixed(FROZEN, ZoneOffset.UTC))
      .withLimits(c.limits().withFragmentQuotas(false, c.limits().metadataPointsPerSecond(),
          c.limits().mediaPointsPerSecond())));
  private static final String STREAM = "frozen-clock";

  @Test
  void putMedia_allFragmentsInOneMillisecond_serverTimestampsStrictlyIncreaseAcrossSessions() {
    KinesisVideoClient kv = SERVER.kinesisVideo();
    Streams.create(kv, STREAM, 24);
    Streams.ingest(kv, STREAM, new ByteArrayInputStream(TestMedia.h264AacBytes()),
        FROZEN.minusSeconds(600));
    Streams.ingest(kv, STREAM, new ByteArrayInputStream(TestMedia.h264AacBytes()),
        FROZEN.minusSeconds(300));
    KinesisVideoArchivedMediaClient am = SERVER.archivedMedia(
        Streams.dataEndpoint(kv, STREAM, APIName.LIST_FRAGMENTS));
    List<Fragment> all = Streams.listAll(am, STREAM, Streams.selector(
        FragmentSelectorType.SERVER_TIMESTAMP, FROZEN, FROZEN.plusSeconds(60)), null).stream()
        .sorted(Comparator.comparing(f -> new BigInteger(f.fragmentNumber()))).toList();
    int perUpload = TestMedia.DURATION_SECONDS * TestMedia.VIDEO_FRAMES_PER_SECOND
        / TestMedia.GOP_FRAMES;
    assertThat(all).hasSize(2 * perUpload);
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).serverTimestamp()).as("fragment %d", i)
          .isEqualTo(FROZEN.plusMillis(i));
    }

    // [3 ms, 5 ms] holds exactly the fourth to sixth fragments.
    List<Fragment> middle = Streams.listAll(am, STREAM, Streams.selector(
        FragmentSelectorType.SERVER_TIMESTAMP, FROZEN.plusMillis(3), FROZEN.plusMillis(5)), null);
    assertThat(middle).extracting(Fragment::fragmentNumber)
        .containsExactlyInAnyOrderElementsOf(all.subList(3, 6).stream()
            .map(Fragment::fragmentNumber).toList());
  }
}
