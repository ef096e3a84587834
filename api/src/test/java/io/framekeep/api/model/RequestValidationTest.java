package io.framekeep.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import io.framekeep.api.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class RequestValidationTest {

    private static final String ARN = "arn:aws:kinesisvideo:us-west-2:123456789012:stream/cam1/1704067200000";
    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private static void assertInvalid(ThrowingCallable call, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.error()).isEqualTo(AwsError.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    private static <T> T json(String body, Class<T> type) {
        return Json.read(body.getBytes(StandardCharsets.UTF_8), type);
    }

    private static Map<String, String> tags(int n) {
        Map<String, String> tags = new LinkedHashMap<>();
        IntStream.range(0, n).forEach(i -> tags.put("k" + i, "v"));
        return tags;
    }

    // ---- CreateStream ----

    @Test
    void createStream_allMembersValid_passes() {
        CreateStreamRequest r = json("{\"DeviceName\":\"dev-1\",\"StreamName\":\"cam1\",\"MediaType\":\"video/h264\","
                + "\"KmsKeyId\":\"alias/aws/kinesisvideo\",\"DataRetentionInHours\":24,\"Tags\":{\"site\":\"lab\"},"
                + "\"StreamStorageConfiguration\":{\"DefaultStorageTier\":\"WARM\"}}", CreateStreamRequest.class);

        assertThatCode(r::validate).doesNotThrowAnyException();
        assertThat(r.tags()).containsEntry("site", "lab");
    }

    @Test
    void createStream_missingName_throws() {
        assertInvalid(() -> json("{}", CreateStreamRequest.class).validate(),
                "Value null at 'streamName' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void createStream_retentionAboveTenYears_throws() {
        assertInvalid(() -> new CreateStreamRequest(null, "cam1", null, null, 87_601, null, null).validate(),
                "at 'dataRetentionInHours'");
    }

    @Test
    void createStream_fiftyOneTags_throws() {
        assertInvalid(() -> new CreateStreamRequest(null, "cam1", null, null, null, tags(51), null).validate(),
                "at 'tags'");
    }

    @Test
    void createStream_badMediaTypeAndDevice_reportsBoth() {
        assertInvalid(() -> new CreateStreamRequest("d e", "cam1", "h264", null, null, null, null).validate(),
                "2 validation errors detected");
    }

    @Test
    void createStream_unknownStorageTier_throws() {
        assertInvalid(() -> new CreateStreamRequest(null, "cam1", null, null, null, null,
                new StreamStorageConfiguration("COLD")).validate(), "streamStorageConfiguration.defaultStorageTier");
    }

    // ---- DescribeStream / GetDataEndpoint / name-or-ARN ----

    @Test
    void describeStream_nameOrArn_passes() {
        assertThatCode(() -> new DescribeStreamRequest("cam1", null).validate()).doesNotThrowAnyException();
        assertThatCode(() -> new DescribeStreamRequest(null, ARN).validate()).doesNotThrowAnyException();
        assertThatCode(() -> new DescribeStreamRequest("cam1", ARN).validate()).doesNotThrowAnyException();
    }

    @Test
    void describeStream_neither_throws() {
        assertInvalid(() -> new DescribeStreamRequest(null, null).validate(), "Either streamName or streamARN");
    }

    @Test
    void describeStream_nameDisagreesWithArn_throws() {
        assertInvalid(() -> new DescribeStreamRequest("cam2", ARN).validate(), "does not match");
    }

    @Test
    void describeStream_malformedArn_throws() {
        assertInvalid(() -> new DescribeStreamRequest(null, "arn:aws:kinesisvideo:x").validate(), "at 'streamARN'");
    }

    @Test
    void getDataEndpoint_validApiName_passesAndMaps() {
        GetDataEndpointRequest r = new GetDataEndpointRequest("cam1", null, "GET_CLIP").validate();

        assertThat(r.api()).isEqualTo(ApiName.GET_CLIP);
    }

    @Test
    void getDataEndpoint_missingOrUnknownApiName_throws() {
        assertInvalid(() -> new GetDataEndpointRequest("cam1", null, null).validate(), "at 'aPIName'");
        assertInvalid(() -> new GetDataEndpointRequest("cam1", null, "PUT").validate(), "enum value set");
    }

    // ---- ListStreams ----

    @Test
    void listStreams_validCondition_passes() {
        ListStreamsRequest r = json("{\"MaxResults\":100,\"NextToken\":\"abc=\",\"StreamNameCondition\":"
                + "{\"ComparisonOperator\":\"BEGINS_WITH\",\"ComparisonValue\":\"cam\"}}", ListStreamsRequest.class);

        assertThatCode(r::validate).doesNotThrowAnyException();
        assertThat(new ListStreamsRequest(null, null, null).maxResultsOrDefault()).isEqualTo(10_000);
    }

    @Test
    void listStreams_badValues_throw() {
        assertInvalid(() -> new ListStreamsRequest(10_001, null, null).validate(), "at 'maxResults'");
        assertInvalid(() -> new ListStreamsRequest(null, "not-base64!", null).validate(), "at 'nextToken'");
        assertInvalid(() -> new ListStreamsRequest(null, null, new StreamNameCondition("ENDS_WITH", "cam"))
                .validate(), "streamNameCondition.comparisonOperator");
        assertInvalid(() -> new ListStreamsRequest(null, null, new StreamNameCondition("BEGINS_WITH", "c m"))
                .validate(), "streamNameCondition.comparisonValue");
    }

    // ---- UpdateStream / DeleteStream / UpdateDataRetention ----

    @Test
    void updateStream_valid_passes() {
        assertThatCode(() -> new UpdateStreamRequest("cam1", null, "v1", "dev", "video/h265").validate())
                .doesNotThrowAnyException();
    }

    @Test
    void updateStream_missingOrBadVersion_throws() {
        assertInvalid(() -> new UpdateStreamRequest("cam1", null, null, null, null).validate(), "'currentVersion'");
        assertInvalid(() -> new UpdateStreamRequest("cam1", null, "v-1", null, null).validate(), "'currentVersion'");
    }

    @Test
    void deleteStream_valid_passes() {
        assertThatCode(() -> new DeleteStreamRequest(ARN, null).validate()).doesNotThrowAnyException();
    }

    @Test
    void deleteStream_missingArn_throws() {
        assertInvalid(() -> new DeleteStreamRequest(null, "v1").validate(), "Value null at 'streamARN'");
    }

    @Test
    void updateDataRetention_valid_passesAndMaps() {
        UpdateDataRetentionRequest r =
                new UpdateDataRetentionRequest(null, ARN, "v1", "INCREASE_DATA_RETENTION", 24).validate();

        assertThat(r.operationType()).isEqualTo(DataRetentionOperation.INCREASE_DATA_RETENTION);
    }

    @Test
    void updateStreamStorageConfiguration_missingOrUnknownTier_throws() {
        new UpdateStreamStorageConfigurationRequest("cam1", null, "v1", new StreamStorageConfiguration("WARM"))
                .validate();
        assertInvalid(() -> new UpdateStreamStorageConfigurationRequest("cam1", null, "v1",
                new StreamStorageConfiguration("COLD")).validate(), "defaultStorageTier");
        assertInvalid(() -> new UpdateStreamStorageConfigurationRequest("cam1", null, null, null).validate(),
                "2 validation errors detected");
        assertInvalid(() -> new DescribeStreamStorageConfigurationRequest(null, null).validate(), "");
    }

    @Test
    void updateDataRetention_badValues_throw() {
        assertInvalid(() -> new UpdateDataRetentionRequest("cam1", null, "v1", "INCREASE_DATA_RETENTION", 0)
                .validate(), "greater than or equal to 1");
        assertInvalid(() -> new UpdateDataRetentionRequest("cam1", null, "v1", "INCREASE_DATA_RETENTION", 87_601)
                .validate(), "less than or equal to 87600");
        assertInvalid(() -> new UpdateDataRetentionRequest("cam1", null, "v1", "GROW", 1).validate(), "'operation'");
        assertInvalid(() -> new UpdateDataRetentionRequest("cam1", null, null, null, null).validate(),
                "3 validation errors detected");
    }

    // ---- stream tags ----

    @Test
    void tagStream_valid_passes() {
        assertThatCode(() -> new TagStreamRequest(null, "cam1", tags(50)).validate()).doesNotThrowAnyException();
    }

    @Test
    void tagStream_badTags_throw() {
        assertInvalid(() -> new TagStreamRequest(null, "cam1", null).validate(), "Value null at 'tags'");
        assertInvalid(() -> new TagStreamRequest(null, "cam1", Map.of()).validate(), "greater than or equal to 1");
        assertInvalid(() -> new TagStreamRequest(null, "cam1", Map.of("a*", "v")).validate(), "at 'tags.key'");
        assertInvalid(() -> new TagStreamRequest(null, "cam1", Map.of("k", "x".repeat(257))).validate(),
                "at 'tags.value'");
    }

    @Test
    void untagStream_validAndInvalid() {
        assertThatCode(() -> new UntagStreamRequest(ARN, null, List.of("k1", "k2")).validate())
                .doesNotThrowAnyException();
        assertInvalid(() -> new UntagStreamRequest(ARN, null, List.of()).validate(), "at 'tagKeyList'");
        assertInvalid(() -> new UntagStreamRequest(ARN, null, List.of("k", "")).validate(),
                "at 'tagKeyList.2.member'");
    }

    @Test
    void listTagsForStream_validAndInvalid() {
        assertThatCode(() -> new ListTagsForStreamRequest(null, null, "cam1").validate()).doesNotThrowAnyException();
        assertInvalid(() -> new ListTagsForStreamRequest("a".repeat(1025), null, "cam1").validate(), "'nextToken'");
        assertInvalid(() -> new ListTagsForStreamRequest(null, null, null).validate(), "Either");
    }

    // ---- resource tags ----

    @Test
    void tagResource_fromJsonList_passes() {
        TagResourceRequest r = json("{\"ResourceARN\":\"" + ARN + "\",\"Tags\":[{\"Key\":\"site\",\"Value\":\"lab\"}]}",
                TagResourceRequest.class);

        assertThatCode(r::validate).doesNotThrowAnyException();
        assertThat(r.tags()).containsExactly(new Tag("site", "lab"));
    }

    @Test
    void tagResource_badValues_throw() {
        assertInvalid(() -> new TagResourceRequest(null, List.of(new Tag("k", "v"))).validate(), "'resourceARN'");
        assertInvalid(() -> new TagResourceRequest(ARN, List.of(new Tag("k", null))).validate(),
                "Value null at 'tags.1.member.value'");
        assertInvalid(() -> new TagResourceRequest(ARN, List.of(new Tag("k", "v"), new Tag("k!", "v"))).validate(),
                "at 'tags.2.member.key'");
        assertInvalid(() -> new TagResourceRequest(ARN, List.of()).validate(), "at 'tags'");
    }

    @Test
    void untagResource_validAndInvalid() {
        assertThatCode(() -> new UntagResourceRequest(ARN, List.of("k")).validate()).doesNotThrowAnyException();
        assertInvalid(() -> new UntagResourceRequest(ARN, null).validate(), "Value null at 'tagKeyList'");
        assertInvalid(() -> new UntagResourceRequest("cam1", List.of("k")).validate(), "at 'resourceARN'");
    }

    @Test
    void listTagsForResource_validAndInvalid() {
        assertThatCode(() -> new ListTagsForResourceRequest("", ARN).validate()).doesNotThrowAnyException();
        assertInvalid(() -> new ListTagsForResourceRequest(null, null).validate(), "Value null at 'resourceARN'");
    }

    // ---- ListFragments ----

    @Test
    void listFragments_selectorFromJson_passes() {
        ListFragmentsRequest r = json("{\"StreamName\":\"cam1\",\"MaxResults\":10,\"FragmentSelector\":"
                + "{\"FragmentSelectorType\":\"PRODUCER_TIMESTAMP\",\"TimestampRange\":{\"StartTimestamp\":1704067200,"
                + "\"EndTimestamp\":1704067200}}}", ListFragmentsRequest.class);

        assertThatCode(r::validate).doesNotThrowAnyException();
        assertThat(r.fragmentSelector().type()).isEqualTo(FragmentSelectorType.PRODUCER_TIMESTAMP);
    }

    @Test
    void nextToken_empty_followsEachModelsMinimumLength() {
        // kinesisvideo's NextToken is 0..1024 (botocore model): an empty token is a first page.
        assertThatCode(() -> new ListStreamsRequest(null, "", null).validate()).doesNotThrowAnyException();
        assertThatCode(() -> new ListTagsForStreamRequest("", null, "cam1").validate())
                .doesNotThrowAnyException();
        // kinesis-video-archived-media's NextToken is 1..4096.
        assertInvalid(() -> new ListFragmentsRequest("cam1", null, null, "", null).validate(), "'nextToken'");
    }

    @Test
    void listFragments_nextTokenWithoutSelector_passes() {
        assertThatCode(() -> new ListFragmentsRequest("cam1", null, null, "YWJj", null).validate())
                .doesNotThrowAnyException();
    }

    @Test
    void listFragments_badValues_throw() {
        assertInvalid(() -> new ListFragmentsRequest("cam1", null, null, null, null).validate(),
                "FragmentSelector is required");
        assertInvalid(() -> new ListFragmentsRequest("cam1", null, 1001L, "YWJj", null).validate(), "'maxResults'");
        assertInvalid(() -> new ListFragmentsRequest("cam1", null, null, "=", null).validate(), "'nextToken'");
        assertInvalid(() -> new ListFragmentsRequest("cam1", null, null, null,
                new FragmentSelector("SERVER", new TimestampRange(T0, T0))).validate(),
                "fragmentSelector.fragmentSelectorType");
        assertInvalid(() -> new ListFragmentsRequest("cam1", null, null, null,
                new FragmentSelector("SERVER_TIMESTAMP", new TimestampRange(T0, null))).validate(),
                "Value null at 'fragmentSelector.timestampRange.endTimestamp'");
        assertInvalid(() -> new ListFragmentsRequest("cam1", null, null, null,
                new FragmentSelector("SERVER_TIMESTAMP", new TimestampRange(T0, T0.minusMillis(1)))).validate(),
                "must not be earlier");
    }

    // ---- GetClip ----

    private static GetClipRequest clip(String type, Instant start, Instant end) {
        return new GetClipRequest("cam1", null, new ClipFragmentSelector(type, new ClipTimestampRange(start, end)));
    }

    @Test
    void getClip_exactlyTwentyFourHours_passes() {
        assertThatCode(() -> clip("SERVER_TIMESTAMP", T0, T0.plus(Duration.ofHours(24))).validate())
                .doesNotThrowAnyException();
    }

    @Test
    void getClip_oneMillisecondRange_passes() {
        assertThatCode(() -> clip("PRODUCER_TIMESTAMP", T0, T0.plusMillis(1)).validate()).doesNotThrowAnyException();
    }

    @Test
    void getClip_endEqualsStart_throws() {
        assertInvalid(() -> clip("SERVER_TIMESTAMP", T0, T0).validate(), "must be later than the StartTimestamp");
    }

    @Test
    void getClip_endBeforeStart_throws() {
        assertInvalid(() -> clip("SERVER_TIMESTAMP", T0, T0.minusSeconds(1)).validate(), "must be later");
    }

    @Test
    void getClip_longerThanTwentyFourHours_throws() {
        assertInvalid(() -> clip("SERVER_TIMESTAMP", T0, T0.plus(Duration.ofHours(24)).plusMillis(1)).validate(),
                "24 hours");
    }

    @Test
    void getClip_missingParts_throw() {
        assertInvalid(() -> new GetClipRequest("cam1", null, null).validate(), "Value null at 'clipFragmentSelector'");
        assertInvalid(() -> new GetClipRequest("cam1", null, new ClipFragmentSelector("SERVER_TIMESTAMP", null))
                .validate(), "Value null at 'clipFragmentSelector.timestampRange'");
        assertInvalid(() -> clip(null, T0, T0.plusSeconds(1)).validate(),
                "Value null at 'clipFragmentSelector.fragmentSelectorType'");
        assertInvalid(() -> clip("SERVER_TIMESTAMP", null, T0).validate(),
                "Value null at 'clipFragmentSelector.timestampRange.startTimestamp'");
        assertInvalid(() -> clip("SERVER_TIMESTAMP", T0, null).validate(),
                "Value null at 'clipFragmentSelector.timestampRange.endTimestamp'");
        assertInvalid(() -> new GetClipRequest(null, null, new ClipFragmentSelector("SERVER_TIMESTAMP",
                new ClipTimestampRange(T0, T0.plusSeconds(1)))).validate(), "Either streamName or streamARN");
    }

    @Test
    void getClip_unknownSelectorType_throws() {
        assertInvalid(() -> clip("WALL_CLOCK", T0, T0.plusSeconds(1)).validate(), "enum value set");
    }

    @Test
    void getClip_serverTimestampEndingInFuture_throws() {
        Instant now = T0.plusSeconds(30);

        assertInvalid(() -> clip("SERVER_TIMESTAMP", T0, now.plusMillis(1)).validate(now), "in the past");
        assertThatCode(() -> clip("SERVER_TIMESTAMP", T0, now).validate(now)).doesNotThrowAnyException();
    }

    @Test
    void getClip_producerTimestampEndingInFuture_passes() {
        Instant now = T0.plusSeconds(30);

        assertThatCode(() -> clip("PRODUCER_TIMESTAMP", T0, now.plusSeconds(60)).validate(now))
                .doesNotThrowAnyException();
    }

    @Test
    void getClip_boto3Body_bindsAndValidates() {
        GetClipRequest r = json("{\"StreamName\":\"cam1\",\"ClipFragmentSelector\":{\"FragmentSelectorType\":"
                + "\"SERVER_TIMESTAMP\",\"TimestampRange\":{\"StartTimestamp\":1704067200,\"EndTimestamp\":1704067260}}}",
                GetClipRequest.class);

        assertThatCode(() -> r.validate(Instant.parse("2026-01-01T00:00:00Z"))).doesNotThrowAnyException();
        assertThat(r.clipFragmentSelector().timestampRange().endTimestamp()).isEqualTo(T0.plusSeconds(60));
    }
}
