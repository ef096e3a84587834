package io.framekeep.api.json;

import io.framekeep.api.error.ApiException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * Conversions between {@link Instant} and the AWS rest-json timestamp form: epoch seconds as a
 * JSON number ({@code 1704067200}, {@code 1704067200.123}, {@code 1.704067200123E9}).
 *
 * <p>Precision is the millisecond: finer digits are truncated toward the past, matching the
 * millisecond timestamps the service stores. Accepted range is {@link #MIN_MS}..{@link #MAX_MS}.
 * Stateless and thread-safe.
 */
public final class EpochSeconds {

    /**
     * Earliest accepted timestamp: the epoch. KVS timestamps are wall-clock times of media; a
     * negative one is always a client bug, and rejecting it keeps millisecond arithmetic simple.
     */
    public static final long MIN_MS = 0L;

    /**
     * Latest accepted timestamp, 9999-12-31T23:59:59.999Z: the last instant with a four-digit
     * year, which is what ISO-8601 text and the SDKs' date formatters handle.
     */
    public static final long MAX_MS = 253_402_300_799_999L;

    private static final BigDecimal MIN_SECONDS = BigDecimal.valueOf(MIN_MS, 3);
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(MAX_MS, 3);

    /**
     * Longest decimal text {@link #parse} looks at. The widest valid value,
     * {@code 253402300799.999}, is 16 characters; exponent forms and trailing zeros need a few
     * more. Anything longer is rejected before BigDecimal does arbitrary-precision work on it.
     */
    static final int MAX_TEXT_CHARS = 64;

    private EpochSeconds() {
    }

    /**
     * Parses a decimal epoch-seconds value (integer, fraction or exponent form).
     *
     * @param text the number's text
     * @param member member name for the error message, e.g. {@code startTimestamp}
     * @throws ApiException INVALID_ARGUMENT when not a finite number in range
     */
    public static Instant parse(String text, String member) {
        if (text == null || text.isEmpty() || text.length() > MAX_TEXT_CHARS) {
            throw invalid(text, member);
        }
        BigDecimal seconds;
        try {
            seconds = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw invalid(text, member);
        }
        return fromSeconds(seconds, text, member);
    }

    /**
     * Converts decimal seconds to an instant with millisecond precision.
     *
     * @throws ApiException INVALID_ARGUMENT when outside {@link #MIN_MS}..{@link #MAX_MS}
     */
    public static Instant fromSeconds(BigDecimal seconds, String text, String member) {
        if (seconds.compareTo(MIN_SECONDS) < 0 || seconds.compareTo(MAX_SECONDS.add(BigDecimal.ONE)) >= 0) {
            throw invalid(text, member);
        }
        long millis = seconds.movePointRight(3).setScale(0, RoundingMode.FLOOR).longValueExact();
        if (millis > MAX_MS) {
            throw invalid(text, member);
        }
        return Instant.ofEpochMilli(millis);
    }

    /**
     * Formats an instant as epoch seconds with at most 3 decimals and no exponent, e.g.
     * {@code 1562589645.061} or {@code 1704067200}; never longer than 20 characters (the Java v2
     * SDK rejects longer timestamp text). Sub-millisecond digits are truncated.
     */
    public static String format(Instant instant) {
        long millis = instant.toEpochMilli();
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }

    private static ApiException invalid(String text, String member) {
        return ApiException.invalidArgument("1 validation error detected: Value '" + shorten(text)
                + "' at '" + member + "' failed to satisfy constraint: Member must be a timestamp in epoch"
                + " seconds between " + MIN_MS / 1000 + " and " + MAX_MS / 1000);
    }

    private static String shorten(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() > MAX_TEXT_CHARS ? text.substring(0, MAX_TEXT_CHARS) + "..." : text;
    }
}
