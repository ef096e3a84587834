package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code POST /UntagResource} request: ResourceARN and TagKeyList (1..50) required. */
public record UntagResourceRequest(
        @JsonProperty("ResourceARN") String resourceArn,
        @JsonProperty("TagKeyList") List<String> tagKeyList) {

    /** Checks the model constraints; throws INVALID_ARGUMENT. */
    public UntagResourceRequest validate() {
        new Validation()
                .required("resourceARN", resourceArn)
                .streamArn("resourceARN", resourceArn)
                .required("tagKeyList", tagKeyList)
                .tagKeys("tagKeyList", tagKeyList)
                .throwIfInvalid();
        return this;
    }
}
