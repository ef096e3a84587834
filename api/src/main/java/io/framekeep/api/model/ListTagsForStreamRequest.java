package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /listTagsForStream} request. */
public record ListTagsForStreamRequest(
        @JsonProperty("NextToken") String nextToken,
        @JsonProperty("StreamARN") String streamArn,
        @JsonProperty("StreamName") String streamName) {

    /** Checks the model constraints and the name-or-ARN rule; throws INVALID_ARGUMENT. */
    public ListTagsForStreamRequest validate() {
        new Validation()
                .streamNameOrArn("streamName", streamName, "streamARN", streamArn)
                .nextToken("nextToken", nextToken)
                .throwIfInvalid();
        return this;
    }
}
