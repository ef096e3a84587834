package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.server.ServiceLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.GetMediaForFragmentListResponse;
import software.amazon.awssdk.services.kinesisvideomedia.KinesisVideoMediaClient;
import software.amazon.awssdk.services.kinesisvideomedia.model.ClientLimitExceededException;
import software.amazon.awssdk.services.kinesisvideomedia.model.ConnectionLimitExceededException;
import software.amazon.awssdk.services.kinesisvideomedia.model.GetMediaResponse;
import software.amazon.awssdk.services.kinesisvideomedia.model.StartSelectorType;

/**
 * The per-stream limits of the media APIs (spec §5.1) through the AWS SDK v2: at most 5
 * GetMediaForFragmentList responses of a stream at once (the sixth is ClientLimitExceeded), at
 * most 5 GetMedia requests per second per stream (with a 2 s burst), and GetMedia's pace of 5
 * fragments per second. The stream holds two uploads of the test media, 20 fragments.
 *
 * <p>The fragment-media quota is raised here so that five 1000-fragment requests fit in it; its
 * own behaviour is tested in {@link QuotasAndPermissionsTest}.
 */
class MediaLimitsTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.configured(c -> c
      .withLimits(ServiceLimits.awsDefaults().withFragmentQuotas(true, 1_000_000, 1_000_000)));
  private static final String STREAM = "media-limits";
  /** How long a freed connection slot may take to be noticed. */
  private static final Duration SLOT_FREED_TIMEOUT = Duration.ofSeconds(10);

  private static KinesisVideoClient kv;
  private static List<Fragment> fragments;

  @BeforeAll
  static void upload() {
    kv = SERVER.kinesisVideo();
    Streams.create(kv, STREAM, 24);
    Streams.Ingest ingest = Streams.ingestTestMedia(kv, STREAM);
    Streams.ingest(kv, STREAM, new java.io.ByteArrayInputStream(TestMedia.h264AacBytes()),
        ingest.producerStart().plusSeconds(TestMedia.DURATION_SECONDS + 1));
    int clusters = Ffmpeg.clusterTimecodesMs(TestMedia.h264Aac()).size();
    fragments = Streams.awaitFragments(archived(), STREAM, Streams.selector(
        software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType
            .PRODUCER_TIMESTAMP, ingest.producerStart(),
        ingest.producerStart().plusSeconds(2L * TestMedia.DURATION_SECONDS + 2)), 2 * clusters);
  }

  private static KinesisVideoArchivedMediaClient archived() {
    return SERVER.archivedMedia(
        Streams.dataEndpoint(kv, STREAM, APIName.GET_MEDIA_FOR_FRAGMENT_LIST));
  }

  /**
   * Five responses of 1000 fragments each (about 50 MB apiece, far more than socket buffers hold)
   * stay open while nobody reads them; the sixth request is refused until one of them is aborted.
   */
  @Test
  void getMediaForFragmentList_sixthAtOnce_clientLimitExceededUntilOneEnds() {
    List<String> thousand = new ArrayList<>(1000);
    for (int i = 0; i < 1000; i++) {
      thousand.add(fragments.get(i % fragments.size()).fragmentNumber());
    }
    KinesisVideoArchivedMediaClient am = archived();
    List<ResponseInputStream<GetMediaForFragmentListResponse>> open = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        open.add(am.getMediaForFragmentList(r -> r.streamName(STREAM).fragments(thousand)));
      }
      assertThatThrownBy(() -> am.getMediaForFragmentList(
              r -> r.streamName(STREAM).fragments(fragments.get(0).fragmentNumber())))
          .isInstanceOf(software.amazon.awssdk.services.kinesisvideoarchivedmedia.model
              .ClientLimitExceededException.class)
          .hasMessageContaining("5 GetMediaForFragmentList connections");

      open.remove(0).abort();
      ResponseInputStream<GetMediaForFragmentListResponse> again = null;
      long deadline = System.nanoTime() + SLOT_FREED_TIMEOUT.toNanos();
      while (again == null) {
        try {
          again = am.getMediaForFragmentList(
              r -> r.streamName(STREAM).fragments(fragments.get(0).fragmentNumber()));
        } catch (software.amazon.awssdk.services.kinesisvideoarchivedmedia.model
            .ClientLimitExceededException e) {
          assertThat(System.nanoTime()).as("slot freed after a client left").isLessThan(deadline);
          Streams.sleep(100);
        }
      }
      open.add(again);
    } finally {
      open.forEach(ResponseInputStream::abort);
    }
  }

  /**
   * Back-to-back GetMedia requests, each aborted at once: the first ten (the 2 s burst at 5 per
   * second) are never refused for their rate (some may meet the 3-connection limit while aborted
   * ones close), a later one is, and after a rest of a second requests are served again.
   */
  @Test
  void getMedia_overFivePerSecond_clientLimitExceededThenServedAfterARest() {
    KinesisVideoMediaClient media =
        SERVER.media(Streams.dataEndpoint(kv, STREAM, APIName.GET_MEDIA));
    List<String> outcomes = new ArrayList<>();
    for (int i = 0; i < 40 && !outcomes.contains("rate"); i++) {
      outcomes.add(tryGetMedia(media));
    }

    assertThat(outcomes.subList(0, 10)).as("the burst").doesNotContain("rate");
    assertThat(outcomes).as("outcomes of back-to-back requests").contains("rate");
    Streams.sleep(1_000);
    List<String> rested = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      rested.add(tryGetMedia(media));
    }
    assertThat(rested).as("after a rest").contains("served").doesNotContain("rate");
  }

  /**
   * GetMedia from EARLIEST over 20 archived fragments: the first 10 come at once (the burst), the
   * other 10 at AWS's 5 fragments per second, so all 20 take at least 2 s, in order.
   */
  @Test
  void getMedia_earliestOverTwentyFragments_pacedAtFivePerSecond() throws Exception {
    KinesisVideoMediaClient media =
        SERVER.media(Streams.dataEndpoint(kv, STREAM, APIName.GET_MEDIA));
    long started = System.nanoTime();
    try (GetMediaTest.ChunkReading reading = new GetMediaTest.ChunkReading(media.getMedia(r -> r
        .streamName(STREAM).startSelector(s -> s.startSelectorType(StartSelectorType.EARLIEST))))) {
      var chunks = reading.awaitComplete(20, Duration.ofSeconds(20));
      long elapsedMs = (System.nanoTime() - started) / 1_000_000;

      assertThat(elapsedMs).as("20 fragments at 5/s after a burst of 10").isGreaterThanOrEqualTo(
          1_900);
      assertThat(chunks.subList(0, 20).stream().map(c -> c.getFragmentNumberString()).toList())
          .containsExactlyElementsOf(fragments.stream().map(Fragment::fragmentNumber).toList());
    }
  }

  /** "served", "rate" (ClientLimitExceeded) or "connections" (ConnectionLimitExceeded). */
  private static String tryGetMedia(KinesisVideoMediaClient media) {
    try {
      ResponseInputStream<GetMediaResponse> body = media.getMedia(r -> r.streamName(STREAM)
          .startSelector(s -> s.startSelectorType(StartSelectorType.NOW)));
      body.abort();
      return "served";
    } catch (ClientLimitExceededException e) {
      assertThat(e.getMessage()).contains("5 GetMedia requests per stream per second");
      return "rate";
    } catch (ConnectionLimitExceededException e) {
      return "connections";
    }
  }
}
