package io.framekeep.api.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Jackson bindings for {@link Instant} members: read from and written as epoch-second JSON
 * numbers (see {@link EpochSeconds}).
 *
 * <p>Reading: integer, fraction and exponent forms are accepted; {@code NaN} / {@code Infinity}
 * and out-of-range values raise INVALID_ARGUMENT naming the member path
 * ({@code clipFragmentSelector.timestampRange.startTimestamp}); a value of another JSON type
 * (string, object, ...) raises SERIALIZATION, as for any type mismatch.
 */
final class InstantModule extends SimpleModule {

    private static final long serialVersionUID = 1L;

    InstantModule() {
        super("framekeep-instant");
        addSerializer(Instant.class, new Writer());
        addDeserializer(Instant.class, new Reader());
    }

    private static final class Writer extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeNumber(EpochSeconds.format(value));
        }
    }

    private static final class Reader extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            String member = memberPath(p);
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                if (p.isNaN()) {
                    throw ApiException.invalidArgument(invalidMessage(p.getText(), member));
                }
                return EpochSeconds.parse(p.getText(), member);
            }
            throw ApiException.of(AwsError.SERIALIZATION,
                    "Expected a number of epoch seconds for '" + member + "' but found " + token);
        }
    }

    private static String invalidMessage(String text, String member) {
        return "1 validation error detected: Value '" + text + "' at '" + member
                + "' failed to satisfy constraint: Member must be a finite timestamp in epoch seconds";
    }

    /** Dotted lower-camel path of the member being read, as AWS validation messages spell it. */
    static String memberPath(JsonParser p) {
        Deque<String> names = new ArrayDeque<>();
        for (JsonStreamContext c = p.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                names.addFirst(lowerCamel(c.getCurrentName()));
            } else if (c.inArray()) {
                names.addFirst("member");
            }
        }
        return names.isEmpty() ? "timestamp" : String.join(".", names);
    }

    private static String lowerCamel(String name) {
        if (name.isEmpty() || Character.isLowerCase(name.charAt(0))) {
            return name;
        }
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
