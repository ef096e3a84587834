package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code POST /untagStream} request: StreamName or StreamARN, TagKeyList (1..50) required. */
public record UntagStreamRequest(
        @JsonProperty("StreamARN") String streamArn,
        @JsonProperty("StreamName") String streamName,
        @JsonProperty("TagKeyList") List<String> tagKeyList) {

    /** Checks the model constraints and the name-or-ARN rule; throws INVALID_ARGUMENT. */
    public UntagStreamRequest validate() {
        new Validation()
                .streamNameOrArn("streamName", streamName, "streamARN", streamArn)
                .required("tagKeyList", tagKeyList)
                .tagKeys("tagKeyList", tagKeyList)
                .throwIfInvalid();
        return this;
    }
}
