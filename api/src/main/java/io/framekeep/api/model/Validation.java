package io.framekeep.api.model;

import io.framekeep.api.StreamArns;
import io.framekeep.api.error.ApiException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Server-side checks of the constraints in the botocore models (kinesisvideo and
 * kinesis-video-archived-media, 2017-09-30) that the SDKs do not enforce: boto3 checks only
 * required members, types and minimums, the Java v2 SDK checks nothing (spec §2.6).
 *
 * <p>Usage: one instance per request; call the checks for every member, then
 * {@link #throwIfInvalid()}. Constraint violations are collected and reported together in the
 * wording of AWS's validation layer, e.g.
 * {@code 1 validation error detected: Value 'a b' at 'streamName' failed to satisfy constraint:
 * Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+}. Cross-member rule violations
 * ({@link #rule}) are reported with their own message, after constraint violations. Every error
 * is {@code InvalidArgumentException}. Lengths count Unicode code points.
 *
 * <p>Each check accepts {@code null} (absent optional member) unless it says otherwise; use
 * {@link #required} for required members. Not thread-safe; instances are per request.
 */
public final class Validation {

    /** StreamName: 1..256, {@code [a-zA-Z0-9_.-]+}. */
    public static final int STREAM_NAME_MAX = 256;
    public static final Pattern STREAM_NAME = Pattern.compile("[a-zA-Z0-9_.-]+");
    /** ResourceARN: 1..1024 with the kinesisvideo ARN pattern. */
    public static final int STREAM_ARN_MAX = 1024;
    public static final Pattern STREAM_ARN =
            Pattern.compile("arn:[a-z\\d-]+:kinesisvideo:[a-z0-9-]+:[0-9]+:[a-z]+/[a-zA-Z0-9_.-]+/[0-9]+");
    /** DeviceName: 1..128, same characters as a stream name. */
    public static final int DEVICE_NAME_MAX = 128;
    public static final Pattern DEVICE_NAME = STREAM_NAME;
    /** MediaType: 1..128, comma-separated MIME types. */
    public static final int MEDIA_TYPE_MAX = 128;
    public static final Pattern MEDIA_TYPE =
            Pattern.compile("[\\w\\-\\.\\+]+/[\\w\\-\\.\\+]+(,[\\w\\-\\.\\+]+/[\\w\\-\\.\\+]+)*");
    /** KmsKeyId: 1..2048, {@code .+}. */
    public static final int KMS_KEY_ID_MAX = 2048;
    public static final Pattern KMS_KEY_ID = Pattern.compile(".+");
    /** Version (and CurrentVersion): 1..64 alphanumerics. */
    public static final int VERSION_MAX = 64;
    public static final Pattern VERSION = Pattern.compile("[a-zA-Z0-9]+");
    /** TagKey: 1..128. */
    public static final int TAG_KEY_MAX = 128;
    public static final Pattern TAG_KEY = Pattern.compile("^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$");
    /** TagValue: 0..256. */
    public static final int TAG_VALUE_MAX = 256;
    public static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    /** ResourceTags / TagList / TagKeyList: 1..50 entries; also the per-stream tag limit. */
    public static final int TAGS_MAX = 50;
    /** DataRetentionInHours: 0..87600 (ten years), the range UpdateDataRetention documents. */
    public static final int DATA_RETENTION_HOURS_MAX = 87_600;
    /** ListStreams MaxResults: 1..10000. */
    public static final int LIST_STREAMS_MAX_RESULTS = 10_000;
    /** ListFragments MaxResults: 1..1000. */
    public static final long LIST_FRAGMENTS_MAX_RESULTS = 1_000L;
    /** kinesisvideo NextToken: 0..1024, base64 characters. */
    public static final int NEXT_TOKEN_MAX = 1024;
    public static final Pattern NEXT_TOKEN = Pattern.compile("[a-zA-Z0-9+/=]*");
    /** kinesis-video-archived-media NextToken: 1..4096, padded base64. */
    public static final int ARCHIVED_NEXT_TOKEN_MAX = 4096;
    public static final Pattern ARCHIVED_NEXT_TOKEN = Pattern.compile("[a-zA-Z0-9+/]+={0,2}");
    /** FragmentNumberString: 1..128 decimal digits. */
    public static final int FRAGMENT_NUMBER_MAX = 128;
    public static final Pattern FRAGMENT_NUMBER = Pattern.compile("^[0-9]+$");

    /**
     * Longest value echoed back in a message. Values are client input of up to a few KB; echoing
     * a prefix is enough to recognise them and keeps error bodies small.
     */
    static final int MAX_ECHOED_CHARS = 256;

    private final List<String> violations = new ArrayList<>();
    private final List<String> ruleViolations = new ArrayList<>();

    /** Fails with INVALID_ARGUMENT if any check failed; otherwise does nothing. */
    public void throwIfInvalid() {
        if (!violations.isEmpty()) {
            int n = violations.size();
            throw ApiException.invalidArgument(n + (n == 1 ? " validation error" : " validation errors")
                    + " detected: " + String.join("; ", violations));
        }
        if (!ruleViolations.isEmpty()) {
            throw ApiException.invalidArgument(ruleViolations.get(0));
        }
    }

    /** Whether no check has failed so far. */
    public boolean isValid() {
        return violations.isEmpty() && ruleViolations.isEmpty();
    }

    /** A required member must be present. */
    public Validation required(String member, Object value) {
        if (value == null) {
            violations.add("Value null at '" + member + "' failed to satisfy constraint: Member must not be null");
        }
        return this;
    }

    /** Records a cross-member rule violation when {@code ok} is false. */
    public Validation rule(boolean ok, String message) {
        if (!ok) {
            ruleViolations.add(message);
        }
        return this;
    }

    public Validation streamName(String member, String value) {
        return string(member, value, 1, STREAM_NAME_MAX, STREAM_NAME);
    }

    public Validation streamArn(String member, String value) {
        return string(member, value, 1, STREAM_ARN_MAX, STREAM_ARN);
    }

    public Validation deviceName(String member, String value) {
        return string(member, value, 1, DEVICE_NAME_MAX, DEVICE_NAME);
    }

    public Validation mediaType(String member, String value) {
        return string(member, value, 1, MEDIA_TYPE_MAX, MEDIA_TYPE);
    }

    public Validation kmsKeyId(String member, String value) {
        return string(member, value, 1, KMS_KEY_ID_MAX, KMS_KEY_ID);
    }

    public Validation version(String member, String value) {
        return string(member, value, 1, VERSION_MAX, VERSION);
    }

    public Validation tagKey(String member, String value) {
        return string(member, value, 1, TAG_KEY_MAX, TAG_KEY);
    }

    public Validation tagValue(String member, String value) {
        return string(member, value, 0, TAG_VALUE_MAX, TAG_VALUE);
    }

    /** Number of entries of a tag map or list, 1..50. */
    public Validation tagCount(String member, Integer count) {
        return size(member, count, 1, TAGS_MAX);
    }

    /** A tag map: count, then every key and value. */
    public Validation tags(String member, Map<String, String> tags) {
        if (tags == null) {
            return this;
        }
        tagCount(member, tags.size());
        for (Map.Entry<String, String> e : tags.entrySet()) {
            tagKey(member + ".key", e.getKey());
            required(member + ".value", e.getValue());
            tagValue(member + ".value", e.getValue());
        }
        return this;
    }

    /** A list of tag keys: count, then every key. */
    public Validation tagKeys(String member, Collection<String> keys) {
        if (keys == null) {
            return this;
        }
        tagCount(member, keys.size());
        int i = 1;
        for (String key : keys) {
            String path = member + "." + i++ + ".member";
            required(path, key);
            tagKey(path, key);
        }
        return this;
    }

    public Validation dataRetentionInHours(String member, Integer hours) {
        return range(member, hours == null ? null : hours.longValue(), 0, DATA_RETENTION_HOURS_MAX);
    }

    /** ListStreams MaxResults, 1..10000. */
    public Validation listStreamsMaxResults(String member, Integer value) {
        return range(member, value == null ? null : value.longValue(), 1, LIST_STREAMS_MAX_RESULTS);
    }

    /** ListFragments MaxResults, 1..1000. */
    public Validation listFragmentsMaxResults(String member, Long value) {
        return range(member, value, 1, LIST_FRAGMENTS_MAX_RESULTS);
    }

    /** kinesisvideo NextToken (ListStreams, ListTagsForStream, ListTagsForResource). */
    public Validation nextToken(String member, String value) {
        return string(member, value, 0, NEXT_TOKEN_MAX, NEXT_TOKEN);
    }

    /** kinesis-video-archived-media NextToken (ListFragments). */
    public Validation archivedNextToken(String member, String value) {
        return string(member, value, 1, ARCHIVED_NEXT_TOKEN_MAX, ARCHIVED_NEXT_TOKEN);
    }

    public Validation fragmentNumber(String member, String value) {
        return string(member, value, 1, FRAGMENT_NUMBER_MAX, FRAGMENT_NUMBER);
    }

    /** Membership in an enum whose constant names are the wire values. */
    public <E extends Enum<E>> Validation enumValue(String member, String value, Class<E> type) {
        if (value == null) {
            return this;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return this;
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name());
        }
        return violation(member, value, "Member must satisfy enum value set: " + names);
    }

    /** An integral value within min..max inclusive. */
    public Validation range(String member, Long value, long min, long max) {
        if (value == null) {
            return this;
        }
        if (value < min) {
            return violation(member, value, "Member must have value greater than or equal to " + min);
        }
        if (value > max) {
            return violation(member, value, "Member must have value less than or equal to " + max);
        }
        return this;
    }

    /**
     * The name-or-ARN rule of stream operations: at least one is required; when both are given the
     * ARN must name the same stream. Each is also checked against its own constraints.
     */
    public Validation streamNameOrArn(String nameMember, String name, String arnMember, String arn) {
        streamName(nameMember, name);
        streamArn(arnMember, arn);
        rule(name != null || arn != null, "Either " + nameMember + " or " + arnMember + " must be specified.");
        if (name != null && arn != null) {
            StreamArns.name(arn).ifPresent(arnName -> rule(arnName.equals(name),
                    "The " + nameMember + " '" + echo(name) + "' does not match the stream named in "
                            + arnMember + " '" + echo(arn) + "'."));
        }
        return this;
    }

    /** A string member with length and pattern constraints. */
    public Validation string(String member, String value, int minLength, int maxLength, Pattern pattern) {
        if (value == null) {
            return this;
        }
        int length = value.codePointCount(0, value.length());
        if (length < minLength) {
            return violation(member, value, "Member must have length greater than or equal to " + minLength);
        }
        if (length > maxLength) {
            return violation(member, value, "Member must have length less than or equal to " + maxLength);
        }
        if (pattern != null && !pattern.matcher(value).matches()) {
            return violation(member, value, "Member must satisfy regular expression pattern: " + pattern.pattern());
        }
        return this;
    }

    private Validation size(String member, Integer count, int min, int max) {
        if (count == null) {
            return this;
        }
        if (count < min) {
            violations.add("Value at '" + member + "' failed to satisfy constraint: Member must have length greater"
                    + " than or equal to " + min);
        } else if (count > max) {
            violations.add("Value at '" + member + "' failed to satisfy constraint: Member must have length less"
                    + " than or equal to " + max);
        }
        return this;
    }

    private Validation violation(String member, Object value, String constraint) {
        violations.add("Value '" + echo(Objects.toString(value)) + "' at '" + member
                + "' failed to satisfy constraint: " + constraint);
        return this;
    }

    static String echo(String value) {
        return value.length() <= MAX_ECHOED_CHARS ? value : value.substring(0, MAX_ECHOED_CHARS) + "...";
    }
}
