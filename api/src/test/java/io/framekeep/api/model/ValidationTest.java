package io.framekeep.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import org.junit.jupiter.api.Test;

class ValidationTest {

    private static String message(Validation v) {
        try {
            v.throwIfInvalid();
        } catch (ApiException e) {
            assertThat(e.error()).isEqualTo(AwsError.INVALID_ARGUMENT);
            return e.getMessage();
        }
        throw new AssertionError("expected a validation error");
    }

    @Test
    void streamName_badPattern_usesAwsWording() {
        assertThat(message(new Validation().streamName("streamName", "a b"))).isEqualTo(
                "1 validation error detected: Value 'a b' at 'streamName' failed to satisfy constraint: Member must"
                        + " satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    }

    @Test
    void streamName_tooLong_reportsMaximum() {
        assertThat(message(new Validation().streamName("streamName", "a".repeat(257))))
                .contains("Member must have length less than or equal to 256");
    }

    @Test
    void streamName_maximumLength_isValid() {
        assertThat(new Validation().streamName("streamName", "a".repeat(256)).isValid()).isTrue();
    }

    @Test
    void check_twoViolations_areCountedAndJoined() {
        String m = message(new Validation().streamName("streamName", "").deviceName("deviceName", "x y"));

        assertThat(m).startsWith("2 validation errors detected: Value '' at 'streamName'")
                .contains("Member must have length greater than or equal to 1; Value 'x y' at 'deviceName'");
    }

    @Test
    void required_null_saysMustNotBeNull() {
        assertThat(message(new Validation().required("aPIName", null))).isEqualTo(
                "1 validation error detected: Value null at 'aPIName' failed to satisfy constraint: Member must"
                        + " not be null");
    }

    @Test
    void enumValue_unknown_listsValues() {
        assertThat(message(new Validation().enumValue("operation", "GROW", DataRetentionOperation.class)))
                .contains("Member must satisfy enum value set: [INCREASE_DATA_RETENTION, DECREASE_DATA_RETENTION]");
    }

    @Test
    void dataRetentionInHours_bounds() {
        assertThat(new Validation().dataRetentionInHours("d", 0).isValid()).isTrue();
        assertThat(new Validation().dataRetentionInHours("d", 87_600).isValid()).isTrue();
        assertThat(message(new Validation().dataRetentionInHours("d", 87_601)))
                .contains("Member must have value less than or equal to 87600");
        assertThat(message(new Validation().dataRetentionInHours("d", -1)))
                .contains("Member must have value greater than or equal to 0");
    }

    @Test
    void mediaType_modelExamples() {
        assertThat(new Validation().mediaType("m", "video/h264").isValid()).isTrue();
        assertThat(new Validation().mediaType("m", "video/h264,audio/aac").isValid()).isTrue();
        assertThat(new Validation().mediaType("m", "video").isValid()).isFalse();
        assertThat(new Validation().mediaType("m", "video/h264,").isValid()).isFalse();
    }

    @Test
    void kmsKeyId_bounds() {
        assertThat(new Validation().kmsKeyId("k", "alias/aws/kinesisvideo").isValid()).isTrue();
        assertThat(new Validation().kmsKeyId("k", "").isValid()).isFalse();
        assertThat(new Validation().kmsKeyId("k", "k".repeat(2049)).isValid()).isFalse();
    }

    @Test
    void tagKeyAndValue_unicodeLettersAllowedOthersRejected() {
        assertThat(new Validation().tagKey("k", "Ünïcode key_1.:/=+-@").tagValue("v", "").isValid()).isTrue();
        assertThat(new Validation().tagKey("k", "").isValid()).isFalse();
        assertThat(new Validation().tagKey("k", "a*b").isValid()).isFalse();
        assertThat(new Validation().tagValue("v", "v".repeat(257)).isValid()).isFalse();
        assertThat(new Validation().tagValue("v", "semi;colon").isValid()).isFalse();
    }

    @Test
    void tagCount_bounds() {
        assertThat(new Validation().tagCount("tags", 50).isValid()).isTrue();
        assertThat(message(new Validation().tagCount("tags", 51)))
                .contains("at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50");
        assertThat(new Validation().tagCount("tags", 0).isValid()).isFalse();
    }

    @Test
    void maxResults_bounds() {
        assertThat(new Validation().listStreamsMaxResults("m", 10_000).isValid()).isTrue();
        assertThat(new Validation().listStreamsMaxResults("m", 10_001).isValid()).isFalse();
        assertThat(new Validation().listFragmentsMaxResults("m", 1000L).isValid()).isTrue();
        assertThat(new Validation().listFragmentsMaxResults("m", 1001L).isValid()).isFalse();
        assertThat(new Validation().listFragmentsMaxResults("m", 0L).isValid()).isFalse();
    }

    @Test
    void nextToken_patterns() {
        assertThat(new Validation().nextToken("n", "").isValid()).isTrue();
        assertThat(new Validation().nextToken("n", "YWJj+/==").isValid()).isTrue();
        assertThat(new Validation().nextToken("n", "a-b").isValid()).isFalse();
        assertThat(new Validation().archivedNextToken("n", "").isValid()).isFalse();
        assertThat(new Validation().archivedNextToken("n", "YWJjZA==").isValid()).isTrue();
        assertThat(new Validation().archivedNextToken("n", "YW=Jj").isValid()).isFalse();
    }

    @Test
    void fragmentNumber_pattern() {
        assertThat(new Validation().fragmentNumber("f", "91343852333181432392682062607743920146159169392").isValid())
                .isTrue();
        assertThat(new Validation().fragmentNumber("f", "12a").isValid()).isFalse();
        assertThat(new Validation().fragmentNumber("f", "1".repeat(129)).isValid()).isFalse();
    }

    @Test
    void streamArn_pattern() {
        assertThat(new Validation().streamArn("a", "arn:aws:kinesisvideo:us-west-2:123456789012:stream/cam1/1")
                .isValid()).isTrue();
        assertThat(new Validation().streamArn("a", "arn:aws:kinesisvideo:us-west-2:123:stream/cam1").isValid())
                .isFalse();
    }

    @Test
    void streamNameOrArn_neither_throwsRuleMessage() {
        assertThatThrownBy(() -> new Validation().streamNameOrArn("streamName", null, "streamARN", null)
                .throwIfInvalid())
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("Either streamName or streamARN must be specified."));
    }

    @Test
    void streamNameOrArn_bothMatching_isValid() {
        assertThatCode(() -> new Validation().streamNameOrArn("streamName", "cam1", "streamARN",
                "arn:aws:kinesisvideo:us-west-2:123456789012:stream/cam1/1").throwIfInvalid())
                .doesNotThrowAnyException();
    }

    @Test
    void streamNameOrArn_bothDifferent_throws() {
        assertThat(new Validation().streamNameOrArn("streamName", "cam2", "streamARN",
                "arn:aws:kinesisvideo:us-west-2:123456789012:stream/cam1/1").isValid()).isFalse();
    }

    @Test
    void echo_longValue_isShortened() {
        assertThat(message(new Validation().streamName("streamName", "x".repeat(5000)))).hasSizeLessThan(500);
    }
}
