package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /getImages} request (kinesis-video-archived-media), spec §3.4.
 *
 * @param samplingIntervalMs milliseconds between sampled instants, at least {@link
 *     #MIN_SAMPLING_INTERVAL_MS}; null means {@link #DEFAULT_SAMPLING_INTERVAL_MS}
 * @param formatConfig at most the {@code JPEGQuality} entry
 * @param maxResults images per page; larger than {@link #PAGE_SIZE} still pages at that size
 */
public record GetImagesRequest(
        @JsonProperty("StreamName") String streamName,
        @JsonProperty("StreamARN") String streamArn,
        @JsonProperty("ImageSelectorType") String imageSelectorType,
        @JsonProperty("StartTimestamp") Instant startTimestamp,
        @JsonProperty("EndTimestamp") Instant endTimestamp,
        @JsonProperty("SamplingInterval") Integer samplingIntervalMs,
        @JsonProperty("Format") String format,
        @JsonProperty("FormatConfig") Map<String, String> formatConfig,
        @JsonProperty("WidthPixels") Integer widthPixels,
        @JsonProperty("HeightPixels") Integer heightPixels,
        @JsonProperty("MaxResults") Long maxResults,
        @JsonProperty("NextToken") String nextToken) {

    /** Longest range between StartTimestamp and EndTimestamp (model documentation). */
    public static final Duration MAX_RANGE = Duration.ofSeconds(300);
    /** Smallest SamplingInterval: 5 images per second (model documentation). */
    public static final int MIN_SAMPLING_INTERVAL_MS = 200;
    /**
     * SamplingInterval when absent (newer models make it optional without saying what applies):
     * one image per second.
     */
    public static final int DEFAULT_SAMPLING_INTERVAL_MS = 1000;
    /** WidthPixels range (model). */
    public static final int MAX_WIDTH_PIXELS = 3840;
    /** HeightPixels range (model). */
    public static final int MAX_HEIGHT_PIXELS = 2160;
    /** MaxResults range (model): also AWS's limit of images per request. */
    public static final long MAX_RESULTS = 100;
    /** Images per page: the documented default, and the cap applied to larger MaxResults. */
    public static final int PAGE_SIZE = 25;
    /** JPEGQuality range and default (model documentation of FormatConfig). */
    public static final int MIN_JPEG_QUALITY = 1;
    public static final int MAX_JPEG_QUALITY = 100;
    public static final int DEFAULT_JPEG_QUALITY = 80;
    /** FormatConfig: exactly one entry; values 0..256 characters of {@code ^[a-zA-Z_0-9]+}. */
    public static final int FORMAT_CONFIG_VALUE_MAX = 256;
    public static final Pattern FORMAT_CONFIG_VALUE = Pattern.compile("^[a-zA-Z_0-9]+");
    /** Digits of a JPEGQuality value longer than any number in 1..100: not parsed. */
    private static final int JPEG_QUALITY_MAX_DIGITS = 3;

    /**
     * Checks the model constraints and the documented rules: name or ARN; selector type, both
     * timestamps and format present; End not before Start and at most 300 s after it;
     * SamplingInterval at least 200 ms; FormatConfig one JPEGQuality entry of 1..100; width only
     * together with height (height alone is allowed, spec §6 row 11); MaxResults 1..100.
     * Throws INVALID_ARGUMENT.
     */
    public GetImagesRequest validate() {
        Validation v = new Validation()
                .streamNameOrArn("streamName", streamName, "streamARN", streamArn)
                .required("imageSelectorType", imageSelectorType)
                .enumValue("imageSelectorType", imageSelectorType, ImageSelectorType.class)
                .required("startTimestamp", startTimestamp)
                .required("endTimestamp", endTimestamp)
                .required("format", format)
                .enumValue("format", format, ImageFormat.class)
                .range("widthPixels", widthPixels == null ? null : widthPixels.longValue(), 1, MAX_WIDTH_PIXELS)
                .range("heightPixels", heightPixels == null ? null : heightPixels.longValue(), 1,
                        MAX_HEIGHT_PIXELS)
                .range("maxResults", maxResults, 1, MAX_RESULTS)
                .archivedNextToken("nextToken", nextToken);
        if (formatConfig != null) {
            if (formatConfig.size() != 1) {
                v.rule(false, "FormatConfig must hold exactly one entry.");
            }
            for (Map.Entry<String, String> e : formatConfig.entrySet()) {
                v.enumValue("formatConfig.key", e.getKey(), FormatConfigKey.class)
                        .required("formatConfig.value", e.getValue())
                        .string("formatConfig.value", e.getValue(), 0, FORMAT_CONFIG_VALUE_MAX,
                                FORMAT_CONFIG_VALUE);
            }
            String quality = formatConfig.get(FormatConfigKey.JPEGQuality.name());
            v.rule(quality == null || parseQuality(quality) > 0,
                    "The JPEGQuality must be an integer from 1 to 100.");
        }
        if (startTimestamp != null && endTimestamp != null) {
            v.rule(!endTimestamp.isBefore(startTimestamp),
                            "The EndTimestamp must not be earlier than the StartTimestamp.")
                    .rule(Duration.between(startTimestamp, endTimestamp).compareTo(MAX_RANGE) <= 0,
                            "The time range between StartTimestamp and EndTimestamp must not exceed 300 seconds.");
        }
        v.rule(samplingIntervalMs == null || samplingIntervalMs >= MIN_SAMPLING_INTERVAL_MS,
                        "The SamplingInterval must be at least " + MIN_SAMPLING_INTERVAL_MS + " milliseconds.")
                .rule(widthPixels == null || heightPixels != null,
                        "WidthPixels must be given together with HeightPixels.");
        v.throwIfInvalid();
        return this;
    }

    /** The selector type as an enum; call after validation. */
    public ImageSelectorType selectorType() {
        return ImageSelectorType.valueOf(imageSelectorType);
    }

    /** SamplingInterval with its default applied; call after validation. */
    public int effectiveSamplingIntervalMs() {
        return samplingIntervalMs == null ? DEFAULT_SAMPLING_INTERVAL_MS : samplingIntervalMs;
    }

    /** JPEGQuality with its default applied; call after validation. */
    public int jpegQuality() {
        String quality = formatConfig == null ? null : formatConfig.get(FormatConfigKey.JPEGQuality.name());
        return quality == null ? DEFAULT_JPEG_QUALITY : parseQuality(quality);
    }

    /** Images per page: MaxResults capped at {@link #PAGE_SIZE}, or that size when absent. */
    public int pageSize() {
        return maxResults == null ? PAGE_SIZE : (int) Math.min(maxResults, PAGE_SIZE);
    }

    /** The quality 1..100, or -1 when the value is not such an integer. */
    private static int parseQuality(String value) {
        if (value.isEmpty() || value.length() > JPEG_QUALITY_MAX_DIGITS
                || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int quality = Integer.parseInt(value);
        return quality >= MIN_JPEG_QUALITY && quality <= MAX_JPEG_QUALITY ? quality : -1;
    }
}
