package io.framekeep.api;

import java.util.OptionalLong;

/**
 * Fragment numbers as issued by Framekeep: fixed-width 47-digit decimal strings, the width of the
 * numbers AWS issues (e.g. {@code 91343852333181432392682062607743920146159169392}), so clients
 * that parse them as BigInteger or store them as text see familiar values.
 *
 * <p>Format: the prefix {@value #PREFIX} followed by the per-server sequence number zero-padded to
 * 45 digits. Because every number has the same width and prefix, lexicographic order equals
 * numeric order equals sequence order, so fragment numbers sort correctly as strings and are
 * monotonically increasing in ingestion order as the model requires. Stateless and thread-safe.
 */
public final class FragmentNumbers {

    /** Total width of a fragment number, as observed on AWS. */
    public static final int WIDTH = 47;

    /** Leading digits; non-zero so the number has no leading zeros and keeps its full width. */
    public static final String PREFIX = "91";

    private static final int SEQUENCE_DIGITS = WIDTH - PREFIX.length();

    private FragmentNumbers() {
    }

    /**
     * The fragment number of a sequence value.
     *
     * @param sequence the sequence, {@code >= 0}
     * @throws IllegalArgumentException for a negative sequence (a caller bug)
     */
    public static String format(long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("negative fragment sequence: " + sequence);
        }
        String digits = Long.toString(sequence);
        StringBuilder sb = new StringBuilder(WIDTH).append(PREFIX);
        for (int i = digits.length(); i < SEQUENCE_DIGITS; i++) {
            sb.append('0');
        }
        return sb.append(digits).toString();
    }

    /**
     * The sequence inside a fragment number, or empty for anything this server did not issue:
     * wrong width, wrong prefix, non-digits, or a sequence beyond {@code Long.MAX_VALUE}.
     */
    public static OptionalLong parse(String fragmentNumber) {
        if (fragmentNumber == null || fragmentNumber.length() != WIDTH || !fragmentNumber.startsWith(PREFIX)) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < WIDTH; i++) {
            char c = fragmentNumber.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(fragmentNumber.substring(PREFIX.length())));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
