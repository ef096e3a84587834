package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /updateStreamStorageConfiguration} request.
 *
 * @param currentVersion the stream's version, required (optimistic concurrency)
 * @param streamStorageConfiguration the new default storage tier, required
 */
public record UpdateStreamStorageConfigurationRequest(
        @JsonProperty("StreamName") String streamName,
        @JsonProperty("StreamARN") String streamArn,
        @JsonProperty("CurrentVersion") String currentVersion,
        @JsonProperty("StreamStorageConfiguration") StreamStorageConfiguration streamStorageConfiguration) {

    /** Checks the model constraints and the name-or-ARN rule; throws INVALID_ARGUMENT. */
    public UpdateStreamStorageConfigurationRequest validate() {
        Validation v = new Validation()
                .streamNameOrArn("streamName", streamName, "streamARN", streamArn)
                .required("currentVersion", currentVersion)
                .version("currentVersion", currentVersion)
                .required("streamStorageConfiguration", streamStorageConfiguration);
        if (streamStorageConfiguration != null) {
            streamStorageConfiguration.check(v, "streamStorageConfiguration");
        }
        v.throwIfInvalid();
        return this;
    }
}
