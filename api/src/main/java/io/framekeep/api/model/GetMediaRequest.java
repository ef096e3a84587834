package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.regex.Pattern;

/**
 * {@code POST /getMedia} request (kinesis-video-media). The response is a long-lived MKV body,
 * so there is no response record; see {@link #CONTENT_TYPE}.
 */
public record GetMediaRequest(
        @JsonProperty("StreamName") String streamName,
        @JsonProperty("StreamARN") String streamArn,
        @JsonProperty("StartSelector") StartSelector startSelector) {

    /** Content type of GetMedia and GetMediaForFragmentList bodies, as the service sends it. */
    public static final String CONTENT_TYPE = "video/webm";

    /** ContinuationToken: 1..128 (kinesis-video-media model). */
    public static final int CONTINUATION_TOKEN_MAX = 128;
    public static final Pattern CONTINUATION_TOKEN = Pattern.compile("^[a-zA-Z0-9_\\.\\-]+$");

    /**
     * Checks the model constraints, the name-or-ARN rule, and that the selector carries the member
     * its type needs; throws INVALID_ARGUMENT.
     */
    public GetMediaRequest validate() {
        Validation v = new Validation()
                .streamNameOrArn("streamName", streamName, "streamARN", streamArn)
                .required("startSelector", startSelector);
        if (startSelector != null) {
            String path = "startSelector";
            v.required(path + ".startSelectorType", startSelector.startSelectorType())
                    .enumValue(path + ".startSelectorType", startSelector.startSelectorType(),
                            StartSelectorType.class)
                    .fragmentNumber(path + ".afterFragmentNumber", startSelector.afterFragmentNumber())
                    .string(path + ".continuationToken", startSelector.continuationToken(), 1,
                            CONTINUATION_TOKEN_MAX, CONTINUATION_TOKEN);
            if (v.isValid() && startSelector.startSelectorType() != null) {
                requireMemberOfType(v, startSelector);
            }
        }
        v.throwIfInvalid();
        return this;
    }

    private static void requireMemberOfType(Validation v, StartSelector selector) {
        switch (selector.type()) {
            case FRAGMENT_NUMBER -> v.rule(selector.afterFragmentNumber() != null,
                    "AfterFragmentNumber is required when the StartSelectorType is FRAGMENT_NUMBER.");
            case SERVER_TIMESTAMP, PRODUCER_TIMESTAMP -> v.rule(selector.startTimestamp() != null,
                    "StartTimestamp is required when the StartSelectorType is "
                            + selector.startSelectorType() + ".");
            case CONTINUATION_TOKEN -> v.rule(selector.continuationToken() != null,
                    "ContinuationToken is required when the StartSelectorType is CONTINUATION_TOKEN.");
            default -> {
                // NOW and EARLIEST need no other member.
            }
        }
    }
}
