package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideo.model.ComparisonOperator;
import software.amazon.awssdk.services.kinesisvideo.model.DefaultStorageTier;
import software.amazon.awssdk.services.kinesisvideo.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesisvideo.model.ListStreamsResponse;
import software.amazon.awssdk.services.kinesisvideo.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesisvideo.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesisvideo.model.Status;
import software.amazon.awssdk.services.kinesisvideo.model.StreamInfo;
import software.amazon.awssdk.services.kinesisvideo.model.Tag;
import software.amazon.awssdk.services.kinesisvideo.model.UpdateDataRetentionOperation;
import software.amazon.awssdk.services.kinesisvideo.model.VersionMismatchException;

/**
 * The kinesisvideo control plane through the AWS SDK v2 client. Every error case asserts the
 * SDK's exception class, which the SDK picks from the x-amzn-ErrorType the server sends.
 */
class ControlPlaneTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();
  /** Stream ARN shape (spec §1.1), with the observed {@code stream/<name>/<millis>} tail. */
  private static final String ARN_PATTERN =
      "arn:aws:kinesisvideo:us-east-1:[0-9]{12}:stream/%s/[0-9]+";

  private static KinesisVideoClient kv;

  @BeforeAll
  static void client() {
    kv = SERVER.kinesisVideo();
  }

  @Test
  void createStream_allFields_describeByNameAndArnReturnsThem() {
    Instant before = Instant.now().minusSeconds(1);
    String arn = kv.createStream(r -> r.streamName("cp-describe").deviceName("cam-1")
        .mediaType("video/h264,audio/aac").dataRetentionInHours(24)).streamARN();
    Streams.awaitActive(kv, "cp-describe");

    assertThat(arn).matches(String.format(ARN_PATTERN, "cp-describe"));
    StreamInfo byName = kv.describeStream(r -> r.streamName("cp-describe")).streamInfo();
    StreamInfo byArn = kv.describeStream(r -> r.streamARN(arn)).streamInfo();
    assertThat(byArn).isEqualTo(byName);
    assertThat(byName.streamName()).isEqualTo("cp-describe");
    assertThat(byName.streamARN()).isEqualTo(arn);
    assertThat(byName.deviceName()).isEqualTo("cam-1");
    assertThat(byName.mediaType()).isEqualTo("video/h264,audio/aac");
    assertThat(byName.dataRetentionInHours()).isEqualTo(24);
    assertThat(byName.status()).isEqualTo(Status.ACTIVE);
    assertThat(byName.version()).matches("[a-zA-Z0-9]{1,64}");
    assertThat(byName.creationTime()).isBetween(before, Instant.now().plusSeconds(1));
  }

  @Test
  void createStream_existingName_resourceInUse() {
    Streams.create(kv, "cp-duplicate", 0);

    assertThatThrownBy(() -> kv.createStream(r -> r.streamName("cp-duplicate")))
        .isInstanceOf(ResourceInUseException.class);
  }

  @Test
  void createStream_badNames_invalidArgument() {
    for (String name : List.of("", "has space", "slash/inside", "colon:inside", "x".repeat(257))) {
      assertThatThrownBy(() -> kv.createStream(r -> r.streamName(name)))
          .as("stream name '%s'", name)
          .isInstanceOf(InvalidArgumentException.class);
    }
  }

  @Test
  void createStream_retentionBetweenZeroAndOneHourOrNegative_invalidArgument() {
    assertThatThrownBy(() -> kv.createStream(r -> r.streamName("cp-negative-retention")
        .dataRetentionInHours(-1))).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void describeStream_unknownName_resourceNotFound() {
    assertThatThrownBy(() -> kv.describeStream(r -> r.streamName("cp-no-such-stream")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> kv.getDataEndpoint(r -> r.streamName("cp-no-such-stream")
        .apiName(APIName.GET_CLIP))).isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> kv.updateStream(r -> r.streamName("cp-no-such-stream")
        .currentVersion("abc").mediaType("video/h264")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void describeStream_badName_invalidArgument() {
    assertThatThrownBy(() -> kv.describeStream(r -> r.streamName("bad name!")))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void listStreams_beginsWithAndMaxResultsTwo_pagesCoverMatchingStreamsOnce() {
    List<String> expected = List.of("cp-page-a", "cp-page-b", "cp-page-c", "cp-page-d",
        "cp-page-e");
    expected.forEach(n -> Streams.create(kv, n, 0));
    Streams.create(kv, "cp-pagf-other", 0);

    List<String> seen = new ArrayList<>();
    int pages = 0;
    String token = null;
    do {
      String next = token;
      ListStreamsResponse page = kv.listStreams(r -> r.maxResults(2).nextToken(next)
          .streamNameCondition(c -> c.comparisonOperator(ComparisonOperator.BEGINS_WITH)
              .comparisonValue("cp-page-")));
      assertThat(page.streamInfoList()).hasSizeLessThanOrEqualTo(2);
      page.streamInfoList().forEach(s -> seen.add(s.streamName()));
      token = page.nextToken();
      pages++;
      assertThat(pages).as("pages").isLessThanOrEqualTo(expected.size());
    } while (token != null && !token.isEmpty());

    assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void listStreams_noCondition_includesEveryStream() {
    Streams.create(kv, "cp-listed", 0);

    assertThat(kv.listStreams(r -> { }).streamInfoList()).extracting(StreamInfo::streamName)
        .contains("cp-listed");
  }

  @Test
  void updateStream_currentVersion_changesMediaTypeAndVersion_staleVersionMismatch() {
    Streams.create(kv, "cp-update", 0);
    String v1 = kv.describeStream(r -> r.streamName("cp-update")).streamInfo().version();

    kv.updateStream(r -> r.streamName("cp-update").currentVersion(v1).mediaType("video/h265")
        .deviceName("cam-2"));
    Streams.awaitActive(kv, "cp-update");

    StreamInfo after = kv.describeStream(r -> r.streamName("cp-update")).streamInfo();
    assertThat(after.mediaType()).isEqualTo("video/h265");
    assertThat(after.deviceName()).isEqualTo("cam-2");
    assertThat(after.version()).isNotEqualTo(v1);
    assertThatThrownBy(() -> kv.updateStream(r -> r.streamName("cp-update").currentVersion(v1)
        .mediaType("video/h264"))).isInstanceOf(VersionMismatchException.class);
  }

  @Test
  void updateDataRetention_increaseThenDecrease_appliesChangesAndChecksVersion() {
    Streams.create(kv, "cp-retention", 24);

    String v1 = version("cp-retention");
    kv.updateDataRetention(r -> r.streamName("cp-retention").currentVersion(v1)
        .operation(UpdateDataRetentionOperation.INCREASE_DATA_RETENTION)
        .dataRetentionChangeInHours(6));
    Streams.awaitActive(kv, "cp-retention");
    assertThat(retention("cp-retention")).isEqualTo(30);

    String v2 = version("cp-retention");
    assertThat(v2).isNotEqualTo(v1);
    kv.updateDataRetention(r -> r.streamName("cp-retention").currentVersion(v2)
        .operation(UpdateDataRetentionOperation.DECREASE_DATA_RETENTION)
        .dataRetentionChangeInHours(10));
    Streams.awaitActive(kv, "cp-retention");
    assertThat(retention("cp-retention")).isEqualTo(20);

    assertThatThrownBy(() -> kv.updateDataRetention(r -> r.streamName("cp-retention")
        .currentVersion(v1).operation(UpdateDataRetentionOperation.INCREASE_DATA_RETENTION)
        .dataRetentionChangeInHours(1))).isInstanceOf(VersionMismatchException.class);
    String v3 = version("cp-retention");
    assertThatThrownBy(() -> kv.updateDataRetention(r -> r.streamName("cp-retention")
        .currentVersion(v3).operation(UpdateDataRetentionOperation.DECREASE_DATA_RETENTION)
        .dataRetentionChangeInHours(21))).isInstanceOf(InvalidArgumentException.class);
    assertThat(retention("cp-retention")).isEqualTo(20);
  }

  @Test
  void streamStorageConfiguration_hotByDefault_updateToWarmWithVersionCheck() {
    String arn = Streams.create(kv, "cp-tier", 24);
    assertThat(kv.describeStreamStorageConfiguration(r -> r.streamName("cp-tier")))
        .satisfies(d -> {
          assertThat(d.streamName()).isEqualTo("cp-tier");
          assertThat(d.streamARN()).isEqualTo(arn);
          assertThat(d.streamStorageConfiguration().defaultStorageTier())
              .isEqualTo(DefaultStorageTier.HOT);
        });
    String v1 = version("cp-tier");

    kv.updateStreamStorageConfiguration(r -> r.streamARN(arn).currentVersion(v1)
        .streamStorageConfiguration(c -> c.defaultStorageTier(DefaultStorageTier.WARM)));

    assertThat(kv.describeStreamStorageConfiguration(r -> r.streamARN(arn))
        .streamStorageConfiguration().defaultStorageTier()).isEqualTo(DefaultStorageTier.WARM);
    assertThat(version("cp-tier")).isNotEqualTo(v1);
    assertThatThrownBy(() -> kv.updateStreamStorageConfiguration(r -> r.streamName("cp-tier")
        .currentVersion(v1)
        .streamStorageConfiguration(c -> c.defaultStorageTier(DefaultStorageTier.HOT))))
        .isInstanceOf(VersionMismatchException.class);
    assertThatThrownBy(() -> kv.describeStreamStorageConfiguration(r -> r.streamName("cp-none")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> kv.updateStreamStorageConfiguration(r -> r.streamName("cp-tier")
        .streamStorageConfiguration(c -> c.defaultStorageTier(DefaultStorageTier.HOT))))
        .as("CurrentVersion is required").isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void deleteStream_byArn_streamGoneAndNameReusable() {
    String arn = Streams.create(kv, "cp-delete", 0);
    String version = version("cp-delete");

    assertThatThrownBy(() -> kv.deleteStream(r -> r.streamARN(arn).currentVersion("stale0")))
        .isInstanceOf(VersionMismatchException.class);
    kv.deleteStream(r -> r.streamARN(arn).currentVersion(version));

    awaitGone("cp-delete");
    assertThatThrownBy(() -> kv.deleteStream(r -> r.streamARN(arn)))
        .isInstanceOf(ResourceNotFoundException.class);
    String again = Streams.create(kv, "cp-delete", 0);
    assertThat(again).isNotEqualTo(arn);
  }

  @Test
  void tagStream_thenUntag_listTagsForStreamReflectsBoth() {
    Streams.create(kv, "cp-tags", 0);

    kv.tagStream(r -> r.streamName("cp-tags").tags(Map.of("team", "video", "site", "lab")));
    assertThat(kv.listTagsForStream(r -> r.streamName("cp-tags")).tags())
        .containsExactlyInAnyOrderEntriesOf(Map.of("team", "video", "site", "lab"));

    kv.untagStream(r -> r.streamName("cp-tags").tagKeyList("site", "not-there"));
    assertThat(kv.listTagsForStream(r -> r.streamName("cp-tags")).tags())
        .containsExactlyInAnyOrderEntriesOf(Map.of("team", "video"));
  }

  @Test
  void tagResource_byArn_sharesTagsWithTagStreamAndUntagResourceRemoves() {
    String arn = Streams.create(kv, "cp-resource-tags", 0);
    kv.tagStream(r -> r.streamName("cp-resource-tags").tags(Map.of("a", "1")));

    kv.tagResource(r -> r.resourceARN(arn).tags(Tag.builder().key("b").value("2").build()));
    assertThat(kv.listTagsForResource(r -> r.resourceARN(arn)).tags())
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2"));
    assertThat(kv.listTagsForStream(r -> r.streamARN(arn)).tags())
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2"));

    kv.untagResource(r -> r.resourceARN(arn).tagKeyList("a"));
    assertThat(kv.listTagsForResource(r -> r.resourceARN(arn)).tags())
        .containsExactlyInAnyOrderEntriesOf(Map.of("b", "2"));
  }

  @Test
  void tagStream_unknownStream_resourceNotFound() {
    assertThatThrownBy(() -> kv.tagStream(r -> r.streamName("cp-no-such-stream")
        .tags(Map.of("a", "1")))).isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void getDataEndpoint_everyApiName_returnsServerBaseUrl() {
    Streams.create(kv, "cp-endpoint", 0);

    for (APIName api : APIName.knownValues()) {
      assertThat(kv.getDataEndpoint(r -> r.streamName("cp-endpoint").apiName(api)).dataEndpoint())
          .as(api.toString()).isEqualTo(SERVER.baseUrl());
    }
  }

  private static String version(String name) {
    return kv.describeStream(r -> r.streamName(name)).streamInfo().version();
  }

  private static int retention(String name) {
    return kv.describeStream(r -> r.streamName(name)).streamInfo().dataRetentionInHours();
  }

  /** DeleteStream is asynchronous on AWS (DELETING first); wait until describe says not found. */
  private static void awaitGone(String name) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        Status status = kv.describeStream(r -> r.streamName(name)).streamInfo().status();
        assertThat(status).isEqualTo(Status.DELETING);
        assertThat(System.nanoTime()).as("%s still DELETING", name).isLessThan(deadline);
        Streams.sleep(50);
      } catch (ResourceNotFoundException expected) {
        return;
      }
    }
  }
}
