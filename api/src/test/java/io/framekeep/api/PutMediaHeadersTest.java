package io.framekeep.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PutMediaHeadersTest {

    private static final String ARN = "arn:aws:kinesisvideo:us-west-2:123456789012:stream/cam1/1704067200000";

    private static Map<String, String> producerHeaders() {
        Map<String, String> h = new HashMap<>();
        h.put("x-amzn-stream-name", "cam1");
        h.put("x-amzn-fragment-timecode-type", "RELATIVE");
        h.put("x-amzn-producer-start-timestamp", "1700000000.123");
        h.put("x-amzn-fragment-acknowledgment-required", "1");
        return h;
    }

    private static void assertInvalid(Map<String, String> headers, String messagePart) {
        assertThatThrownBy(() -> PutMediaHeaders.parse(headers::get))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isEqualTo(AwsError.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains(messagePart);
                });
    }

    @Test
    void parse_producerSdkHeaders_readsAllMembers() {
        PutMediaHeaders h = PutMediaHeaders.parse(producerHeaders()::get);

        assertThat(h).isEqualTo(new PutMediaHeaders("cam1", null, TimecodeType.RELATIVE, 1_700_000_000_123L, true));
    }

    @Test
    void parse_arnAndAbsoluteWithoutStart_isValid() {
        Map<String, String> headers = Map.of("x-amzn-stream-arn", ARN, "x-amzn-fragment-timecode-type", "ABSOLUTE");

        PutMediaHeaders h = PutMediaHeaders.parse(headers::get);

        assertThat(h).isEqualTo(new PutMediaHeaders(null, ARN, TimecodeType.ABSOLUTE, null, true));
    }

    @Test
    void parse_ackNotRequired_isFalse() {
        Map<String, String> headers = producerHeaders();
        headers.put("x-amzn-fragment-acknowledgment-required", "0");

        assertThat(PutMediaHeaders.parse(headers::get).ackRequired()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "1700000000.123, 1700000000123",
        "1700000000, 1700000000000",
        "1700000000.1239, 1700000000123",
        "1.700000000123E9, 1700000000123",
        "0, 0",
        "1700000000123, 1700000000123",
        "2023-11-14T22:13:20.123Z, 1700000000123",
        "2023-11-15T00:13:20.123+02:00, 1700000000123",
    })
    void parse_startTimestampForms_giveEpochMillis(String text, long expectedMs) {
        Map<String, String> headers = producerHeaders();
        headers.put("x-amzn-producer-start-timestamp", text);

        assertThat(PutMediaHeaders.parse(headers::get).producerStartTimestampMs()).isEqualTo(expectedMs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "-1", "NaN", "1e400", "2023-13-01T00:00:00Z", "10000-01-01T00:00:00Z", "1.2.3"})
    void parse_badStartTimestamp_throwsInvalidArgument(String text) {
        Map<String, String> headers = producerHeaders();
        headers.put("x-amzn-producer-start-timestamp", text);

        assertInvalid(headers, "x-amzn-producer-start-timestamp");
    }

    @Test
    void parse_relativeWithoutStart_throwsInvalidArgument() {
        Map<String, String> headers = producerHeaders();
        headers.remove("x-amzn-producer-start-timestamp");

        assertInvalid(headers, "is required when x-amzn-fragment-timecode-type is RELATIVE");
    }

    @Test
    void parse_nameAndArn_throwsInvalidArgument() {
        Map<String, String> headers = producerHeaders();
        headers.put("x-amzn-stream-arn", ARN);

        assertInvalid(headers, "not both");
    }

    @Test
    void parse_neitherNameNorArn_throwsInvalidArgument() {
        Map<String, String> headers = producerHeaders();
        headers.remove("x-amzn-stream-name");

        assertInvalid(headers, "Either x-amzn-stream-name or x-amzn-stream-arn");
    }

    @Test
    void parse_badStreamName_throwsInvalidArgument() {
        Map<String, String> headers = producerHeaders();
        headers.put("x-amzn-stream-name", "cam 1");

        assertInvalid(headers, "at 'x-amzn-stream-name' failed to satisfy constraint");
    }

    @Test
    void parse_badArn_throwsInvalidArgument() {
        Map<String, String> headers = producerHeaders();
        headers.remove("x-amzn-stream-name");
        headers.put("x-amzn-stream-arn", "arn:aws:s3:::bucket");

        assertInvalid(headers, "x-amzn-stream-arn");
    }

    @ParameterizedTest
    @ValueSource(strings = {"absolute", "OTHER", " "})
    void parse_badTimecodeType_throwsInvalidArgument(String value) {
        Map<String, String> headers = producerHeaders();
        headers.put("x-amzn-fragment-timecode-type", value);

        assertInvalid(headers, "x-amzn-fragment-timecode-type");
    }

    @Test
    void parse_missingTimecodeType_throwsInvalidArgument() {
        Map<String, String> headers = producerHeaders();
        headers.remove("x-amzn-fragment-timecode-type");

        assertInvalid(headers, "x-amzn-fragment-timecode-type is required");
    }

    @Test
    void parse_badAckFlag_throwsInvalidArgument() {
        Map<String, String> headers = producerHeaders();
        headers.put("x-amzn-fragment-acknowledgment-required", "maybe");

        assertInvalid(headers, "x-amzn-fragment-acknowledgment-required");
    }
}
