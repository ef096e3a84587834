package io.framekeep.api.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import io.framekeep.api.model.ClipFragmentSelector;
import io.framekeep.api.model.ClipTimestampRange;
import io.framekeep.api.model.CreateStreamResponse;
import io.framekeep.api.model.DescribeStreamRequest;
import io.framekeep.api.model.EmptyResponse;
import io.framekeep.api.model.Fragment;
import io.framekeep.api.model.GetClipRequest;
import io.framekeep.api.model.ListFragmentsResponse;
import io.framekeep.api.model.StreamInfo;
import io.framekeep.api.model.DescribeStreamResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    private static GetClipRequest clipWithStart(String startJson) {
        String body = "{\"StreamName\":\"cam1\",\"ClipFragmentSelector\":{\"FragmentSelectorType\":\"SERVER_TIMESTAMP\","
                + "\"TimestampRange\":{\"StartTimestamp\":" + startJson + ",\"EndTimestamp\":1704067260}}}";
        return Json.read(body.getBytes(StandardCharsets.UTF_8), GetClipRequest.class);
    }

    private static Instant start(GetClipRequest r) {
        return r.clipFragmentSelector().timestampRange().startTimestamp();
    }

    @ParameterizedTest
    @CsvSource({
        "1704067200, 2024-01-01T00:00:00Z",
        "1704067200.123, 2024-01-01T00:00:00.123Z",
        "1704067200.1239, 2024-01-01T00:00:00.123Z",
        "1.704067200123E9, 2024-01-01T00:00:00.123Z",
        "1.704067200123e+9, 2024-01-01T00:00:00.123Z",
        "17040672001230E-4, 2024-01-01T00:00:00.123Z",
        "0, 1970-01-01T00:00:00Z",
        "253402300799.999, 9999-12-31T23:59:59.999Z",
    })
    void read_timestampNumberForms_keepMillisecondPrecision(String json, String expected) {
        assertThat(start(clipWithStart(json))).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"253402300800", "1e20", "-1", "NaN", "Infinity", "-Infinity"})
    void read_timestampOutOfRangeOrNotFinite_throwsInvalidArgumentNamingMember(String json) {
        assertThatThrownBy(() -> clipWithStart(json))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isEqualTo(AwsError.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("clipFragmentSelector.timestampRange.startTimestamp");
                });
    }

    @Test
    void read_timestampAsString_throwsSerialization() {
        assertThatThrownBy(() -> clipWithStart("\"2024-01-01T00:00:00Z\""))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(AwsError.SERIALIZATION));
    }

    @Test
    void read_emptyBody_bindsAsEmptyObject() {
        DescribeStreamRequest r = Json.read(new byte[0], DescribeStreamRequest.class);

        assertThat(r).isEqualTo(new DescribeStreamRequest(null, null));
    }

    @Test
    void read_nullBody_bindsAsEmptyObject() {
        assertThat(Json.read("null".getBytes(StandardCharsets.UTF_8), DescribeStreamRequest.class))
                .isEqualTo(new DescribeStreamRequest(null, null));
    }

    @Test
    void read_unknownMembers_areIgnored() {
        byte[] body = "{\"StreamName\":\"a\",\"Future\":{\"x\":[1,2]}}".getBytes(StandardCharsets.UTF_8);

        assertThat(Json.read(body, DescribeStreamRequest.class).streamName()).isEqualTo("a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"StreamName\":}", "[]", "\"x\"", "{} {}", "{\"StreamName\":\"a\",}",
        "{\"ClipFragmentSelector\":\"x\"}"})
    void read_malformedJsonOrWrongType_throwsSerialization(String json) {
        assertThatThrownBy(() -> Json.read(json.getBytes(StandardCharsets.UTF_8), GetClipRequest.class))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(AwsError.SERIALIZATION));
    }

    @Test
    void write_nullMembers_areOmitted() {
        String json = new String(Json.write(new CreateStreamResponse(null)), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{}");
    }

    @Test
    void write_emptyResponse_isEmptyObject() {
        assertThat(new String(Json.write(EmptyResponse.INSTANCE), StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    @Test
    void write_instants_areEpochSecondsWithAtMostThreeDecimals() {
        Fragment f = new Fragment("91000000000000000000000000000000000000000000001", 1234L,
                Instant.parse("2019-07-08T12:40:45.061Z"), Instant.parse("2024-01-01T00:00:00Z"), 2000L);

        String json = new String(Json.write(new ListFragmentsResponse(List.of(f), null)), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"Fragments\":[{\"FragmentNumber\":\"91000000000000000000000000000000000000000000001\","
                + "\"FragmentSizeInBytes\":1234,\"ProducerTimestamp\":1562589645.061,"
                + "\"ServerTimestamp\":1704067200,\"FragmentLengthInMilliseconds\":2000}]}");
    }

    @Test
    void write_streamInfo_usesModelMemberNames() {
        StreamInfo info = new StreamInfo("dev", "cam1", "arn:aws:kinesisvideo:us-west-2:123456789012:stream/cam1/1",
                "video/h264", "arn:aws:kms:us-west-2:123456789012:alias/aws/kinesisvideo", "abc", "ACTIVE",
                Instant.parse("2024-01-01T00:00:00.5Z"), 24);

        String json = new String(Json.write(new DescribeStreamResponse(info)), StandardCharsets.UTF_8);

        assertThat(json).startsWith("{\"StreamInfo\":{\"DeviceName\":\"dev\",\"StreamName\":\"cam1\",\"StreamARN\":")
                .contains("\"Version\":\"abc\",\"Status\":\"ACTIVE\",\"CreationTime\":1704067200.5,"
                        + "\"DataRetentionInHours\":24}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1970-01-01T00:00:00Z", "1970-01-01T00:00:00.001Z", "2024-01-01T00:00:00.120Z",
        "9999-12-31T23:59:59.999Z"})
    void format_thenRead_roundTripsWithinTwentyChars(String iso) {
        Instant instant = Instant.parse(iso);
        String text = EpochSeconds.format(instant);

        assertThat(text).hasSizeLessThanOrEqualTo(20).doesNotContain("E");
        assertThat(EpochSeconds.parse(text, "t")).isEqualTo(instant);
    }

    @Test
    void format_subMillisecondInstant_truncatesToMillis() {
        assertThat(EpochSeconds.format(Instant.parse("2024-01-01T00:00:00.123999Z"))).isEqualTo("1704067200.123");
    }

    @Test
    void read_thenWrite_getClipRequestRoundTrips() {
        GetClipRequest r = new GetClipRequest("cam1", null, new ClipFragmentSelector("PRODUCER_TIMESTAMP",
                new ClipTimestampRange(Instant.parse("2024-01-01T00:00:00.250Z"), Instant.parse("2024-01-01T00:01:00Z"))));

        assertThat(Json.read(Json.write(r), GetClipRequest.class)).isEqualTo(r);
    }
}
