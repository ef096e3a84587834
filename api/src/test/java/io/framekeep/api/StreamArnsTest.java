package io.framekeep.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.api.model.Validation;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamArnsTest {

    @Test
    void format_thenName_roundTrips() {
        String arn = StreamArns.format("us-west-2", "123456789012", "cam_1.front-door", 1704067200123L);

        assertThat(arn).isEqualTo("arn:aws:kinesisvideo:us-west-2:123456789012:stream/cam_1.front-door/1704067200123");
        assertThat(StreamArns.name(arn)).contains("cam_1.front-door");
        assertThat(StreamArns.creationTimeMs(arn)).isEqualTo(OptionalLong.of(1704067200123L));
    }

    @Test
    void format_anyStream_matchesModelArnPattern() {
        String arn = StreamArns.format("eu-central-1", "000000000000", "a", 0L);

        assertThat(Validation.STREAM_ARN.matcher(arn).matches()).isTrue();
    }

    @Test
    void name_otherPartition_isAccepted() {
        assertThat(StreamArns.name("arn:aws-cn:kinesisvideo:cn-north-1:123456789012:stream/x/1")).contains("x");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "cam1",
        "arn:aws:kinesis:us-west-2:123456789012:stream/cam1/1",
        "arn:aws:kinesisvideo:us-west-2:123456789012:channel/cam1/1",
        "arn:aws:kinesisvideo:us-west-2:123456789012:stream/cam1",
        "arn:aws:kinesisvideo:us-west-2:123456789012:stream/cam 1/1",
        "arn:aws:kinesisvideo:us-west-2:acct:stream/cam1/1",
        "arn:aws:kinesisvideo:us-west-2:123456789012:stream/cam1/1/extra",
    })
    void name_malformedArn_isEmpty(String arn) {
        assertThat(StreamArns.name(arn)).isEqualTo(Optional.empty());
        assertThat(StreamArns.creationTimeMs(arn)).isEmpty();
    }

    @Test
    void name_null_isEmpty() {
        assertThat(StreamArns.name(null)).isEmpty();
    }

    @Test
    void name_longerThanModelMaximum_isEmpty() {
        String arn = "arn:aws:kinesisvideo:us-west-2:123456789012:stream/" + "a".repeat(1000) + "/1";

        assertThat(StreamArns.name(arn)).isEmpty();
    }
}
