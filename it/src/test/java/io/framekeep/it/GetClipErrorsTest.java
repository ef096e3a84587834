package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.server.ServiceLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelector;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.GetClipRequest;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.NoDataRetentionException;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ResourceNotFoundException;

/** GetClip's request validation, its not-found and no-retention answers, and the clip cap. */
class GetClipErrorsTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();
  /** A second server whose clips stop after three fragments. */
  @RegisterExtension static final InProcessServer CAPPED = InProcessServer.configured(
      c -> c.withLimits(ServiceLimits.awsDefaults().withClipCaps(3, Long.MAX_VALUE)));
  private static final String STREAM = "clip-errors";
  private static final String NO_RETENTION = "clip-no-retention";

  @TempDir static Path tmp;

  private static Streams.Ingest ingest;
  private static KinesisVideoArchivedMediaClient clips;

  @BeforeAll
  static void upload() {
    KinesisVideoClient kv = SERVER.kinesisVideo();
    Streams.create(kv, STREAM, 24);
    Streams.create(kv, NO_RETENTION, 0);
    ingest = Streams.ingestTestMedia(kv, STREAM);
    clips = SERVER.archivedMedia(Streams.dataEndpoint(kv, STREAM, APIName.GET_CLIP));
  }

  @Test
  void getClip_neitherNameNorArn_invalidArgument() {
    assertThatThrownBy(() -> clips.getClipAsBytes(GetClipRequest.builder()
        .clipFragmentSelector(producerRange(ingest.producerStart(), Duration.ofSeconds(11)))
        .build())).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void getClip_endBeforeStart_invalidArgument() {
    assertThatThrownBy(() -> getClip(STREAM,
        producerRange(ingest.producerStart(), Duration.ofSeconds(-1))))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void getClip_endEqualsStart_invalidArgument() {
    assertThatThrownBy(() -> getClip(STREAM, producerRange(ingest.producerStart(), Duration.ZERO)))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void getClip_rangeOverTwentyFourHours_invalidArgument() {
    Instant start = ingest.producerStart().minus(Duration.ofHours(12));
    assertThatThrownBy(() -> getClip(STREAM,
        producerRange(start, Duration.ofHours(24).plusSeconds(1))))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void getClip_rangeOfExactlyTwentyFourHours_returnsClip() {
    Instant start = ingest.producerStart().minus(Duration.ofHours(12));
    assertThat(getClip(STREAM, producerRange(start, Duration.ofHours(24))).asByteArray())
        .isNotEmpty();
  }

  @Test
  void getClip_serverTimestampEndInFuture_invalidArgument() {
    ClipFragmentSelector selector = ClipFragmentSelector.builder()
        .fragmentSelectorType(ClipFragmentSelectorType.SERVER_TIMESTAMP)
        .timestampRange(t -> t.startTimestamp(ingest.serverBefore().minusSeconds(1))
            .endTimestamp(Instant.now().plus(Duration.ofHours(1))))
        .build();
    assertThatThrownBy(() -> getClip(STREAM, selector))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void getClip_unknownStream_resourceNotFound() {
    assertThatThrownBy(() -> getClip("clip-no-such-stream",
        producerRange(ingest.producerStart(), Duration.ofSeconds(11))))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void getClip_noFragmentInRange_resourceNotFound() {
    Instant hourBefore = ingest.producerStart().minus(Duration.ofHours(1));
    assertThatThrownBy(() -> getClip(STREAM, producerRange(hourBefore, Duration.ofMinutes(30))))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void getClip_streamWithoutRetention_noDataRetention() {
    assertThatThrownBy(() -> getClip(NO_RETENTION,
        producerRange(Instant.now().minus(Duration.ofHours(1)), Duration.ofMinutes(30))))
        .isInstanceOf(NoDataRetentionException.class);
  }

  @Test
  void getClip_serverCappedAtThreeFragments_clipHoldsExactlyFirstThreeFragmentsOfFrames() {
    KinesisVideoClient kv = CAPPED.kinesisVideo();
    Streams.create(kv, "clip-capped", 24);
    Streams.Ingest capped = Streams.ingestTestMedia(kv, "clip-capped");
    Path clip = tmp.resolve("capped.mp4");

    CAPPED.archivedMedia(Streams.dataEndpoint(kv, "clip-capped", APIName.GET_CLIP)).getClip(
        r -> r.streamName("clip-capped")
            .clipFragmentSelector(producerRange(capped.producerStart(), Duration.ofSeconds(11))),
        ResponseTransformer.toFile(clip));

    MediaAsserts.assertFramesEqualSource(Ffmpeg.hashes(Ffmpeg.videoFrames(clip)),
        Ffmpeg.hashes(Ffmpeg.videoFrames(TestMedia.h264Aac())), 0, 3 * TestMedia.GOP_FRAMES);
    assertThat(Ffmpeg.decodeErrors(clip)).isEmpty();
  }

  private static software.amazon.awssdk.core.ResponseBytes<?> getClip(String stream,
      ClipFragmentSelector selector) {
    return clips.getClipAsBytes(r -> r.streamName(stream).clipFragmentSelector(selector));
  }

  private static ClipFragmentSelector producerRange(Instant start, Duration length) {
    return ClipFragmentSelector.builder()
        .fragmentSelectorType(ClipFragmentSelectorType.PRODUCER_TIMESTAMP)
        .timestampRange(t -> t.startTimestamp(start).endTimestamp(start.plus(length)))
        .build();
  }
}
