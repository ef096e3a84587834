package io.framekeep.api;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stream ARNs in the form the service issues:
 * {@code arn:aws:kinesisvideo:<region>:<account>:stream/<name>/<creation-epoch-millis>}.
 *
 * <p>The trailing creation time makes ARNs of a deleted and a re-created stream with the same name
 * differ, as on AWS. Parsing accepts any partition ({@code aws}, {@code aws-cn}, ...), like the
 * model's ResourceARN pattern, but only the {@code stream} resource type; ARNs of other resource
 * types (e.g. signaling channels) are not stream ARNs. Stateless and thread-safe.
 */
public final class StreamArns {

    /** The model's ResourceARN maximum length; longer text is never parsed. */
    static final int MAX_ARN_LENGTH = 1024;

    private static final Pattern STREAM_ARN = Pattern.compile(
            "arn:[a-z\\d-]+:kinesisvideo:[a-z0-9-]+:[0-9]+:stream/([a-zA-Z0-9_.-]+)/([0-9]+)");

    private StreamArns() {
    }

    /** The ARN of a stream created at {@code creationTimeMs} (epoch milliseconds). */
    public static String format(String region, String accountId, String streamName, long creationTimeMs) {
        return "arn:aws:kinesisvideo:" + region + ":" + accountId + ":stream/" + streamName + "/" + creationTimeMs;
    }

    /** The stream name inside a stream ARN, or empty when {@code arn} is not a well-formed stream ARN. */
    public static Optional<String> name(String arn) {
        Matcher m = match(arn);
        return m == null ? Optional.empty() : Optional.of(m.group(1));
    }

    /** The creation time (epoch milliseconds) inside a stream ARN, or empty when malformed. */
    public static OptionalLong creationTimeMs(String arn) {
        Matcher m = match(arn);
        if (m == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(m.group(2)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static Matcher match(String arn) {
        if (arn == null || arn.length() > MAX_ARN_LENGTH) {
            return null;
        }
        Matcher m = STREAM_ARN.matcher(arn);
        return m.matches() ? m : null;
    }
}
