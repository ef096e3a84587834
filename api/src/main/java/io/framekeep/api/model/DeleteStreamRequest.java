package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /deleteStream} request; StreamARN is required, CurrentVersion optional. */
public record DeleteStreamRequest(
        @JsonProperty("StreamARN") String streamArn,
        @JsonProperty("CurrentVersion") String currentVersion) {

    /** Checks the model constraints; throws INVALID_ARGUMENT. */
    public DeleteStreamRequest validate() {
        new Validation()
                .required("streamARN", streamArn)
                .streamArn("streamARN", streamArn)
                .version("currentVersion", currentVersion)
                .throwIfInvalid();
        return this;
    }
}
