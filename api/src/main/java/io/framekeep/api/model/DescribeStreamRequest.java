package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /describeStream} request: StreamName or StreamARN. */
public record DescribeStreamRequest(
        @JsonProperty("StreamName") String streamName,
        @JsonProperty("StreamARN") String streamArn) {

    /** Checks the model constraints and the name-or-ARN rule; throws INVALID_ARGUMENT. */
    public DescribeStreamRequest validate() {
        new Validation().streamNameOrArn("streamName", streamName, "streamARN", streamArn).throwIfInvalid();
        return this;
    }
}
