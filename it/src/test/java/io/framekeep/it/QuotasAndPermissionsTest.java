package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.server.ServiceLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideo.model.AccessDeniedException;
import software.amazon.awssdk.services.kinesisvideo.model.Tag;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClientLimitExceededException;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelector;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.NotAuthorizedException;

/**
 * NotAuthorizedException / AccessDeniedException for a valid signature without a grant, and
 * ClientLimitExceededException when a stream's fragment-media quota runs out, through the SDK.
 */
class QuotasAndPermissionsTest {
  private static final String VIEWER_KEY = "VIEWERKEY";
  private static final String VIEWER_SECRET = "viewer-secret";
  private static final Path PERMISSIONS = writePermissions();

  /**
   * Quotas small enough to exhaust: 8 media points per second, a 16-point burst: one 10-fragment
   * clip fits a rested stream, a second one right after does not.
   */
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.configured(c -> c
      .withPermissionsFile(PERMISSIONS)
      .withLimits(ServiceLimits.awsDefaults().withFragmentQuotas(true, 10_000, 8)));

  private static Streams.Ingest lobby;
  private static URI endpoint;

  private static Path writePermissions() {
    try {
      Path file = Files.createTempFile("framekeep-permissions-", ".json");
      file.toFile().deleteOnExit();
      Files.writeString(file, "{\"principals\": [{\"accessKeyId\": \"" + VIEWER_KEY + "\","
          + " \"secretAccessKey\": \"" + VIEWER_SECRET + "\", \"allow\": ["
          + "{\"actions\": [\"GetClip\", \"ListFragments\", \"GetDataEndpoint\"],"
          + " \"streams\": [\"lobby-*\"]}]}]}");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeAll
  static void upload() {
    KinesisVideoClient kv = SERVER.kinesisVideo();
    Streams.create(kv, "lobby-1", 24);
    Streams.create(kv, "dock-1", 24);
    lobby = Streams.ingest(kv, "lobby-1", new ByteArrayInputStream(TestMedia.h264AacBytes()));
    endpoint = Streams.dataEndpoint(kv, "lobby-1", APIName.GET_CLIP);
  }

  private static ClipFragmentSelector wholeUpload() {
    return ClipFragmentSelector.builder()
        .fragmentSelectorType(ClipFragmentSelectorType.PRODUCER_TIMESTAMP)
        .timestampRange(t -> t.startTimestamp(lobby.producerStart())
            .endTimestamp(lobby.producerStart().plusSeconds(TestMedia.DURATION_SECONDS + 1)))
        .build();
  }

  @Test
  void getClip_viewerOnGrantedStream_succeeds() {
    KinesisVideoArchivedMediaClient viewer =
        SERVER.archivedMedia(endpoint, VIEWER_KEY, VIEWER_SECRET);
    waitForMediaQuota();
    assertThat(viewer.getClipAsBytes(r -> r.streamName("lobby-1")
        .clipFragmentSelector(wholeUpload())).asByteArray()).isNotEmpty();
  }

  @Test
  void getClip_viewerOnOtherStream_notAuthorized() {
    KinesisVideoArchivedMediaClient viewer =
        SERVER.archivedMedia(endpoint, VIEWER_KEY, VIEWER_SECRET);
    assertThatThrownBy(() -> viewer.getClipAsBytes(r -> r.streamName("dock-1")
        .clipFragmentSelector(wholeUpload())))
        .isInstanceOfSatisfying(NotAuthorizedException.class,
            e -> assertThat(e.statusCode()).isEqualTo(401));
  }

  @Test
  void getClip_viewerWithInvalidRequestOnOtherStream_notAuthorizedBeforeValidation() {
    KinesisVideoArchivedMediaClient viewer =
        SERVER.archivedMedia(endpoint, VIEWER_KEY, VIEWER_SECRET);
    Instant t = Instant.now().minusSeconds(60);
    assertThatThrownBy(() -> viewer.getClipAsBytes(r -> r.streamName("dock-1")
        .clipFragmentSelector(s -> s.fragmentSelectorType(ClipFragmentSelectorType.SERVER_TIMESTAMP)
            .timestampRange(x -> x.startTimestamp(t).endTimestamp(t)))))
        .isInstanceOf(NotAuthorizedException.class);
  }

  @Test
  void tagResource_viewer_accessDenied() {
    KinesisVideoClient viewer = SERVER.kinesisVideo(VIEWER_KEY, VIEWER_SECRET);
    String arn = SERVER.kinesisVideo().describeStream(r -> r.streamName("lobby-1"))
        .streamInfo().streamARN();
    assertThatThrownBy(() -> viewer.tagResource(r -> r.resourceARN(arn)
        .tags(Tag.builder().key("k").value("v").build())))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void putMedia_viewer_refusedWith401() {
    PutMediaClient client = new PutMediaClient(endpoint,
        software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(VIEWER_KEY,
            VIEWER_SECRET), InProcessServer.REGION.id());
    PutMediaClient.Response response = client.put(
        PutMediaClient.Target.relative("lobby-1", Instant.now()),
        PutMediaClient.Signing.EMPTY_PAYLOAD_HASH,
        new ByteArrayInputStream(TestMedia.h264AacBytes()), Streams.UPLOAD_TIMEOUT);
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.body()).contains("NotAuthorizedException");
  }

  @Test
  void getClip_mediaQuotaSpent_clientLimitExceededThenRecovers() {
    KinesisVideoArchivedMediaClient owner = SERVER.archivedMedia(endpoint);
    waitForMediaQuota();
    owner.getClipAsBytes(r -> r.streamName("lobby-1").clipFragmentSelector(wholeUpload()));
    assertThatThrownBy(() -> owner.getClipAsBytes(r -> r.streamName("lobby-1")
        .clipFragmentSelector(wholeUpload())))
        .isInstanceOf(ClientLimitExceededException.class)
        .hasMessageContaining("fragment-media");
    waitForMediaQuota();
    assertThat(owner.getClipAsBytes(r -> r.streamName("lobby-1")
        .clipFragmentSelector(wholeUpload())).asByteArray()).isNotEmpty();
  }

  /** A 10-fragment clip needs 10 points; at 8 per second, 1.3 s refills enough after a clip. */
  private static void waitForMediaQuota() {
    Streams.sleep(Duration.ofMillis(1300).toMillis());
  }
}
