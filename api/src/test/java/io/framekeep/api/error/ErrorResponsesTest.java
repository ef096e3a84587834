package io.framekeep.api.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorResponsesTest {

    @Test
    void body_resourceNotFound_hasTypeAndBothMessageSpellings() throws Exception {
        ApiException e = ApiException.resourceNotFound("The requested stream is not found or not active.");

        JsonNode body = new ObjectMapper().readTree(ErrorResponses.body(e));

        assertThat(body.size()).isEqualTo(3);
        assertThat(body.get("__type").asText()).isEqualTo("ResourceNotFoundException");
        assertThat(body.get("message").asText()).isEqualTo("The requested stream is not found or not active.");
        assertThat(body.get("Message").asText()).isEqualTo("The requested stream is not found or not active.");
    }

    @Test
    void body_messageWithQuotesAndNewlines_isEscapedJson() throws Exception {
        ApiException e = ApiException.invalidArgument("Value 'a\"b' at 'x'\nnext");

        JsonNode body = new ObjectMapper().readTree(ErrorResponses.body(e));

        assertThat(body.get("message").asText()).isEqualTo("Value 'a\"b' at 'x'\nnext");
    }

    @Test
    void headers_invalidArgument_carryTypeRequestIdAndJsonContentType() {
        Map<String, String> headers = ErrorResponses.headers(ApiException.invalidArgument("bad"), "req-1");

        assertThat(headers).containsExactly(
                Map.entry("Content-Type", "application/json"),
                Map.entry("x-amzn-ErrorType", "InvalidArgumentException"),
                Map.entry("x-amzn-RequestId", "req-1"));
    }

    @Test
    void of_anyError_keepsErrorAndMessage() {
        ApiException e = ApiException.of(AwsError.NO_DATA_RETENTION, "no retention");

        assertThat(e.error()).isEqualTo(AwsError.NO_DATA_RETENTION);
        assertThat(e.getMessage()).isEqualTo("no retention");
        assertThat(e.getStackTrace()).isEmpty();
    }

    @Test
    void awsError_catalogue_hasModelledStatusesAndWireNames() {
        assertThat(AwsError.INVALID_ARGUMENT.wireName()).isEqualTo("InvalidArgumentException");
        assertThat(AwsError.INVALID_ARGUMENT.httpStatus()).isEqualTo(400);
        assertThat(AwsError.RESOURCE_NOT_FOUND.httpStatus()).isEqualTo(404);
        assertThat(AwsError.NOT_AUTHORIZED.httpStatus()).isEqualTo(401);
        assertThat(AwsError.ACCESS_DENIED.httpStatus()).isEqualTo(401);
        assertThat(AwsError.SERIALIZATION.wireName()).isEqualTo("SerializationException");
        assertThat(AwsError.UNKNOWN_OPERATION.httpStatus()).isEqualTo(404);
        assertThat(AwsError.INTERNAL_FAILURE.wireName()).isEqualTo("InternalFailure");
        assertThat(AwsError.INTERNAL_FAILURE.httpStatus()).isEqualTo(500);
        assertThat(AwsError.INVALID_SIGNATURE.httpStatus()).isEqualTo(403);
        assertThat(AwsError.UNRECOGNIZED_CLIENT.wireName()).isEqualTo("UnrecognizedClientException");
        assertThat(AwsError.MISSING_AUTHENTICATION_TOKEN.wireName()).isEqualTo("MissingAuthenticationTokenException");
        assertThat(AwsError.REQUEST_EXPIRED.wireName()).isEqualTo("RequestExpired");
        assertThat(AwsError.REQUEST_EXPIRED.httpStatus()).isEqualTo(400);
    }

    @Test
    void awsError_wireNames_areUniqueAndNotDerivedFromConstantNames() {
        assertThat(Arrays.stream(AwsError.values()).map(AwsError::wireName)).doesNotHaveDuplicates();
        assertThat(Arrays.stream(AwsError.values()))
                .allSatisfy(e -> assertThat(e.wireName()).isNotEqualTo(e.name()));
    }
}
