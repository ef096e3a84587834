package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.framekeep.api.error.ApiException;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code POST /getClip} request (kinesis-video-archived-media). The response is a raw MP4 body,
 * so there is no response record; see {@link #CONTENT_TYPE}.
 */
public record GetClipRequest(
        @JsonProperty("StreamName") String streamName,
        @JsonProperty("StreamARN") String streamArn,
        @JsonProperty("ClipFragmentSelector") ClipFragmentSelector clipFragmentSelector) {

    /** Longest clip range the service accepts (model documentation of ClipTimestampRange). */
    public static final Duration MAX_RANGE = Duration.ofHours(24);

    /** Content type of the clip body; mapped to the SDKs' {@code ContentType} output member. */
    public static final String CONTENT_TYPE = "video/mp4";

    /**
     * Checks everything that needs no clock: model constraints, name-or-ARN, selector, type and
     * both timestamps present, End strictly after Start, and End - Start at most 24 hours.
     * Throws INVALID_ARGUMENT.
     */
    public GetClipRequest validate() {
        Validation v = new Validation()
                .streamNameOrArn("streamName", streamName, "streamARN", streamArn)
                .required("clipFragmentSelector", clipFragmentSelector);
        if (clipFragmentSelector != null) {
            String path = "clipFragmentSelector";
            v.required(path + ".fragmentSelectorType", clipFragmentSelector.fragmentSelectorType())
                    .enumValue(path + ".fragmentSelectorType", clipFragmentSelector.fragmentSelectorType(),
                            FragmentSelectorType.class)
                    .required(path + ".timestampRange", clipFragmentSelector.timestampRange());
            ClipTimestampRange range = clipFragmentSelector.timestampRange();
            if (range != null) {
                v.required(path + ".timestampRange.startTimestamp", range.startTimestamp())
                        .required(path + ".timestampRange.endTimestamp", range.endTimestamp());
                if (range.startTimestamp() != null && range.endTimestamp() != null) {
                    v.rule(range.endTimestamp().isAfter(range.startTimestamp()),
                            "The EndTimestamp must be later than the StartTimestamp.")
                            .rule(Duration.between(range.startTimestamp(), range.endTimestamp())
                                            .compareTo(MAX_RANGE) <= 0,
                                    "The time range between StartTimestamp and EndTimestamp must not exceed"
                                            + " 24 hours.");
                }
            }
        }
        v.throwIfInvalid();
        return this;
    }

    /**
     * {@link #validate()} plus the clock-dependent rule: with SERVER_TIMESTAMP the EndTimestamp
     * must not be in the future.
     *
     * @param now the server's current time, from its injected clock
     */
    public GetClipRequest validate(Instant now) {
        validate();
        if (clipFragmentSelector.type() == FragmentSelectorType.SERVER_TIMESTAMP
                && clipFragmentSelector.timestampRange().endTimestamp().isAfter(now)) {
            throw ApiException.invalidArgument(
                    "The EndTimestamp must be in the past when the FragmentSelectorType is SERVER_TIMESTAMP.");
        }
        return this;
    }
}
