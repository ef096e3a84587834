package io.framekeep.api.error;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders an {@link ApiException} as the JSON error response that botocore and the Java SDKs parse.
 *
 * <p>Wire format:
 * <pre>
 * HTTP/1.1 404
 * Content-Type: application/json
 * x-amzn-ErrorType: ResourceNotFoundException
 * x-amzn-RequestId: 5e8c...
 * {"__type":"ResourceNotFoundException","message":"...","Message":"..."}
 * </pre>
 * Why this shape: botocore's rest-json parser takes the code from {@code x-amzn-ErrorType}
 * (falling back to {@code __type}) and the message from {@code message}, then {@code Message}.
 * The Java v2 SDK takes the code from the same header, then {@code __type}, and the message from
 * {@code message}, {@code Message} or {@code errorMessage}; its generated exception classes also
 * unmarshal the modelled {@code Message} member. Sending both spellings satisfies every reader.
 * The kinesisvideo services speak rest-json, for which the SDKs send and accept
 * {@code application/json} ({@code application/x-amz-json-1.1} belongs to the awsJson protocol).
 *
 * <p>Stateless and thread-safe.
 */
public final class ErrorResponses {

    /** Content type of every JSON response of the rest-json kinesisvideo services. */
    public static final String CONTENT_TYPE = "application/json";

    private static final JsonFactory JSON = new JsonFactory();

    private ErrorResponses() {
    }

    /** The response body: {@code {"__type":wire,"message":msg,"Message":msg}} in UTF-8. */
    public static byte[] body(ApiException exception) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator gen = JSON.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField("__type", exception.error().wireName());
            gen.writeStringField("message", exception.getMessage());
            gen.writeStringField("Message", exception.getMessage());
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    /**
     * Response headers, lower-case names except where SDK logs show the AWS spelling:
     * {@code Content-Type}, {@code x-amzn-ErrorType}, {@code x-amzn-RequestId}. HTTP header names
     * are case-insensitive, so the server may send them as given.
     */
    public static Map<String, String> headers(ApiException exception, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", CONTENT_TYPE);
        headers.put("x-amzn-ErrorType", exception.error().wireName());
        headers.put("x-amzn-RequestId", requestId);
        return headers;
    }
}
