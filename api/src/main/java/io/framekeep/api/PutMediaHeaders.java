package io.framekeep.api;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.json.EpochSeconds;
import io.framekeep.api.model.Validation;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/**
 * The request headers of {@code POST /putMedia} (spec §3.7), validated.
 *
 * <p>Headers read (names lower case):
 * <ul>
 *   <li>{@code x-amzn-stream-name} / {@code x-amzn-stream-arn}: exactly one is required.</li>
 *   <li>{@code x-amzn-fragment-timecode-type}: {@code ABSOLUTE} or {@code RELATIVE}, required.</li>
 *   <li>{@code x-amzn-producer-start-timestamp}: required for RELATIVE, optional otherwise.
 *       Accepted forms: decimal epoch seconds ({@code 1700000000.123}, what the producer SDKs
 *       send; also {@code 0} and exponent forms), epoch milliseconds when the number is above
 *       {@value #EPOCH_MILLIS_THRESHOLD} (no epoch-seconds value within
 *       {@link EpochSeconds#MAX_MS} reaches it), and ISO-8601 with an offset
 *       ({@code 2024-01-01T00:00:00.123Z}).</li>
 *   <li>{@code x-amzn-fragment-acknowledgment-required}: {@code 1}/{@code true} or
 *       {@code 0}/{@code false}; absent means acks are wanted.</li>
 * </ul>
 * Any violation raises INVALID_ARGUMENT before the body is read.
 *
 * @param streamName stream name, or null when the ARN was given
 * @param streamArn stream ARN, or null when the name was given
 * @param timecodeType how producer timestamps are derived
 * @param producerStartTimestampMs producer start time in epoch milliseconds, or null when absent
 * @param ackRequired whether the producer asked for acknowledgements
 */
public record PutMediaHeaders(String streamName, String streamArn, TimecodeType timecodeType,
        Long producerStartTimestampMs, boolean ackRequired) {

    public static final String STREAM_NAME = "x-amzn-stream-name";
    public static final String STREAM_ARN = "x-amzn-stream-arn";
    public static final String FRAGMENT_TIMECODE_TYPE = "x-amzn-fragment-timecode-type";
    public static final String PRODUCER_START_TIMESTAMP = "x-amzn-producer-start-timestamp";
    public static final String FRAGMENT_ACKNOWLEDGMENT_REQUIRED = "x-amzn-fragment-acknowledgment-required";

    /**
     * Numbers above this are epoch milliseconds, not seconds: 1e11 seconds is year 5138, while
     * 1e11 milliseconds is March 1973, so real start times of either unit fall on their own side.
     */
    static final long EPOCH_MILLIS_THRESHOLD = 100_000_000_000L;

    /** Longest start-timestamp header value parsed; valid forms are under 40 characters. */
    static final int MAX_TIMESTAMP_CHARS = 64;

    /**
     * Reads and validates the headers.
     *
     * @param header header lookup by lower-case name, returning null when absent
     * @throws ApiException INVALID_ARGUMENT for missing, conflicting or malformed headers
     */
    public static PutMediaHeaders parse(Function<String, String> header) {
        String name = emptyToNull(header.apply(STREAM_NAME));
        String arn = emptyToNull(header.apply(STREAM_ARN));
        if (name == null && arn == null) {
            throw ApiException.invalidArgument("Either " + STREAM_NAME + " or " + STREAM_ARN + " must be specified.");
        }
        if (name != null && arn != null) {
            throw ApiException.invalidArgument("Specify either " + STREAM_NAME + " or " + STREAM_ARN + ", not both.");
        }
        Validation v = new Validation();
        v.streamName(STREAM_NAME, name).streamArn(STREAM_ARN, arn).throwIfInvalid();

        TimecodeType type = timecodeType(header.apply(FRAGMENT_TIMECODE_TYPE));
        String startText = emptyToNull(header.apply(PRODUCER_START_TIMESTAMP));
        Long startMs = startText == null ? null : parseStartTimestampMs(startText);
        if (type == TimecodeType.RELATIVE && startMs == null) {
            throw ApiException.invalidArgument(PRODUCER_START_TIMESTAMP + " is required when "
                    + FRAGMENT_TIMECODE_TYPE + " is RELATIVE.");
        }
        boolean ack = ackRequired(header.apply(FRAGMENT_ACKNOWLEDGMENT_REQUIRED));
        return new PutMediaHeaders(name, arn, type, startMs, ack);
    }

    /**
     * Parses a producer start timestamp header value to epoch milliseconds.
     *
     * @throws ApiException INVALID_ARGUMENT when unparsable or out of range
     */
    public static long parseStartTimestampMs(String text) {
        String value = text.trim();
        if (value.isEmpty() || value.length() > MAX_TIMESTAMP_CHARS) {
            throw badTimestamp(text);
        }
        if (value.indexOf('T') > 0) {
            try {
                Instant instant = OffsetDateTime.parse(value).toInstant();
                return EpochSeconds.fromSeconds(BigDecimal.valueOf(instant.toEpochMilli(), 3), value,
                        PRODUCER_START_TIMESTAMP).toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                throw badTimestamp(text);
            }
        }
        BigDecimal number;
        try {
            number = new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw badTimestamp(text);
        }
        BigDecimal seconds = number.compareTo(BigDecimal.valueOf(EPOCH_MILLIS_THRESHOLD)) > 0
                ? number.movePointLeft(3) : number;
        try {
            return EpochSeconds.fromSeconds(seconds, value, PRODUCER_START_TIMESTAMP).toEpochMilli();
        } catch (ApiException e) {
            throw badTimestamp(text);
        }
    }

    private static TimecodeType timecodeType(String value) {
        if (value == null || value.isEmpty()) {
            throw ApiException.invalidArgument(FRAGMENT_TIMECODE_TYPE + " is required (ABSOLUTE or RELATIVE).");
        }
        for (TimecodeType t : TimecodeType.values()) {
            if (t.name().equals(value.trim())) {
                return t;
            }
        }
        throw ApiException.invalidArgument("Invalid " + FRAGMENT_TIMECODE_TYPE + " '" + shorten(value)
                + "'; valid values are ABSOLUTE and RELATIVE.");
    }

    private static boolean ackRequired(String value) {
        if (value == null || value.isBlank()) {
            return true;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "1", "true":
                return true;
            case "0", "false":
                return false;
            default:
                throw ApiException.invalidArgument("Invalid " + FRAGMENT_ACKNOWLEDGMENT_REQUIRED + " '"
                        + shorten(value) + "'; valid values are 1 and 0.");
        }
    }

    private static ApiException badTimestamp(String text) {
        return ApiException.invalidArgument("Invalid " + PRODUCER_START_TIMESTAMP + " '" + shorten(text)
                + "': expected epoch seconds (e.g. 1700000000.123), epoch milliseconds or ISO-8601.");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static String shorten(String s) {
        return s.length() <= MAX_TIMESTAMP_CHARS ? s : s.substring(0, MAX_TIMESTAMP_CHARS) + "...";
    }
}
