package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /ListTagsForResource} request: ResourceARN required. */
public record ListTagsForResourceRequest(
        @JsonProperty("NextToken") String nextToken,
        @JsonProperty("ResourceARN") String resourceArn) {

    /** Checks the model constraints; throws INVALID_ARGUMENT. */
    public ListTagsForResourceRequest validate() {
        new Validation()
                .required("resourceARN", resourceArn)
                .streamArn("resourceARN", resourceArn)
                .nextToken("nextToken", nextToken)
                .throwIfInvalid();
        return this;
    }
}
