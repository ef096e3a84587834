package io.framekeep.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import java.io.IOException;

/**
 * The JSON codec of the rest-json kinesisvideo services.
 *
 * <p>Reading rules (what the SDKs send, see spec §2.3):
 * <ul>
 *   <li>An empty body means {@code {}}; a literal {@code null} body too.</li>
 *   <li>Unknown members are ignored (forward compatibility with newer SDKs).</li>
 *   <li>Malformed JSON, a top-level value that is not an object, or a member of the wrong JSON
 *       type (string where a structure is expected, fractional number for an integer, a number
 *       too large for its member) raises {@link AwsError#SERIALIZATION} (400), which is what AWS's
 *       JSON front ends answer for bodies they cannot bind. Values of the right JSON type that
 *       break a constraint (timestamp out of range or NaN, max length, pattern, enum) are the
 *       request's {@code validate()} business and raise {@link AwsError#INVALID_ARGUMENT}.</li>
 *   <li>{@link java.time.Instant} members are epoch seconds ({@link EpochSeconds}).</li>
 * </ul>
 * Writing never emits null members and writes instants as epoch-second numbers with at most 3
 * decimals. Empty records serialize as {@code {}}.
 *
 * <p>The mapper is configured once and shared; Jackson mappers are thread-safe after configuration.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            // NaN/Infinity are read as numbers so the timestamp reader can answer INVALID_ARGUMENT.
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .addModule(new InstantModule())
            .build();

    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    private Json() {
    }

    /** The shared, configured mapper, for callers that need streaming or tree access. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Binds a request body.
     *
     * @throws ApiException SERIALIZATION for unparsable JSON or a type mismatch, INVALID_ARGUMENT
     *     for an invalid timestamp value
     */
    public static <T> T read(byte[] body, Class<T> type) {
        byte[] json = body == null || isBlank(body) ? EMPTY_OBJECT : body;
        try (JsonParser parser = MAPPER.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.VALUE_NULL) {
                return MAPPER.readValue(EMPTY_OBJECT, type);
            }
            if (first != JsonToken.START_OBJECT) {
                throw ApiException.of(AwsError.SERIALIZATION, "Request body must be a JSON object");
            }
            T value = MAPPER.readValue(parser, type);
            if (parser.nextToken() != null) {
                throw ApiException.of(AwsError.SERIALIZATION, "Unexpected content after the JSON object");
            }
            return value;
        } catch (JsonMappingException e) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof ApiException api) {
                    throw api;
                }
            }
            throw ApiException.of(AwsError.SERIALIZATION, "Could not bind request body: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw ApiException.of(AwsError.SERIALIZATION, "Malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.of(AwsError.SERIALIZATION, "Malformed JSON: " + e.getMessage());
        }
    }

    /** Serializes a response record as UTF-8 JSON. */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response type is not serializable: " + value.getClass(), e);
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
