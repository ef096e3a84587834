package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /describeStreamStorageConfiguration} request: StreamName or StreamARN. */
public record DescribeStreamStorageConfigurationRequest(
        @JsonProperty("StreamName") String streamName,
        @JsonProperty("StreamARN") String streamArn) {

    /** Checks the model constraints and the name-or-ARN rule; throws INVALID_ARGUMENT. */
    public DescribeStreamStorageConfigurationRequest validate() {
        new Validation().streamNameOrArn("streamName", streamName, "streamARN", streamArn).throwIfInvalid();
        return this;
    }
}
