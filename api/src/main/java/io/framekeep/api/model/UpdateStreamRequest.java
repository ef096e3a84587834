package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /updateStream} request; CurrentVersion is required. */
public record UpdateStreamRequest(
        @JsonProperty("StreamName") String streamName,
        @JsonProperty("StreamARN") String streamArn,
        @JsonProperty("CurrentVersion") String currentVersion,
        @JsonProperty("DeviceName") String deviceName,
        @JsonProperty("MediaType") String mediaType) {

    /** Checks the model constraints and the name-or-ARN rule; throws INVALID_ARGUMENT. */
    public UpdateStreamRequest validate() {
        new Validation()
                .streamNameOrArn("streamName", streamName, "streamARN", streamArn)
                .required("currentVersion", currentVersion)
                .version("currentVersion", currentVersion)
                .deviceName("deviceName", deviceName)
                .mediaType("mediaType", mediaType)
                .throwIfInvalid();
        return this;
    }
}
