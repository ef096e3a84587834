package io.framekeep.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import io.framekeep.api.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GetImagesRequestTest {
    /** A valid request body with {@code extra} members appended. */
    private static GetImagesRequest request(String extra) {
        String body = "{\"StreamName\":\"cam\",\"ImageSelectorType\":\"PRODUCER_TIMESTAMP\","
                + "\"StartTimestamp\":1704067200,\"EndTimestamp\":1704067210,\"Format\":\"JPEG\"" + extra + "}";
        return Json.read(body.getBytes(StandardCharsets.UTF_8), GetImagesRequest.class);
    }

    private static void assertInvalid(String extra, String messagePart) {
        assertThatThrownBy(() -> request(extra).validate()).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.error()).isEqualTo(AwsError.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }

    @Test
    void validate_minimalRequest_appliesDefaults() {
        GetImagesRequest r = request("").validate();

        assertThat(r.effectiveSamplingIntervalMs()).isEqualTo(GetImagesRequest.DEFAULT_SAMPLING_INTERVAL_MS);
        assertThat(r.jpegQuality()).isEqualTo(80);
        assertThat(r.pageSize()).isEqualTo(25);
        assertThat(r.selectorType()).isEqualTo(ImageSelectorType.PRODUCER_TIMESTAMP);
    }

    @Test
    void validate_maxResultsAbovePageSize_pagesAtTwentyFive() {
        assertThat(request(",\"MaxResults\":100").validate().pageSize()).isEqualTo(25);
        assertThat(request(",\"MaxResults\":7").validate().pageSize()).isEqualTo(7);
        assertInvalid(",\"MaxResults\":101", "maxResults");
    }

    @Test
    void validate_rangeOver300Seconds_invalid() {
        String body = "{\"StreamName\":\"cam\",\"ImageSelectorType\":\"SERVER_TIMESTAMP\","
                + "\"StartTimestamp\":1704067200,\"EndTimestamp\":1704067500.001,\"Format\":\"PNG\"}";
        assertThatThrownBy(() -> Json.read(body.getBytes(StandardCharsets.UTF_8), GetImagesRequest.class).validate())
                .hasMessageContaining("300 seconds");
    }

    @Test
    void validate_samplingIntervalUnder200_invalid() {
        assertInvalid(",\"SamplingInterval\":199", "at least 200");
        assertThat(request(",\"SamplingInterval\":200").validate().effectiveSamplingIntervalMs()).isEqualTo(200);
    }

    @Test
    void validate_widthWithoutHeight_invalid_heightAloneValid() {
        assertInvalid(",\"WidthPixels\":100", "WidthPixels");
        request(",\"HeightPixels\":100").validate();
        assertInvalid(",\"HeightPixels\":2161", "heightPixels");
    }

    @Test
    void validate_jpegQuality_mustBeOneToHundred() {
        assertThat(request(",\"FormatConfig\":{\"JPEGQuality\":\"55\"}").validate().jpegQuality()).isEqualTo(55);
        assertInvalid(",\"FormatConfig\":{\"JPEGQuality\":\"0\"}", "JPEGQuality");
        assertInvalid(",\"FormatConfig\":{\"JPEGQuality\":\"abc\"}", "JPEGQuality");
        assertInvalid(",\"FormatConfig\":{\"Other\":\"5\"}", "formatConfig.key");
    }

    @Test
    void validate_unknownFormat_invalid() {
        assertInvalid(",\"Format\":\"GIF\"", "format");
    }
}
