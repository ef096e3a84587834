package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** {@code POST /tagStream} request: StreamName or StreamARN, Tags (1..50) required. */
public record TagStreamRequest(
        @JsonProperty("StreamARN") String streamArn,
        @JsonProperty("StreamName") String streamName,
        @JsonProperty("Tags") Map<String, String> tags) {

    /** Checks the model constraints and the name-or-ARN rule; throws INVALID_ARGUMENT. */
    public TagStreamRequest validate() {
        new Validation()
                .streamNameOrArn("streamName", streamName, "streamARN", streamArn)
                .required("tags", tags)
                .tags("tags", tags)
                .throwIfInvalid();
        return this;
    }
}
