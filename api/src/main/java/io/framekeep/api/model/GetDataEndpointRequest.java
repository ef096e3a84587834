package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /getDataEndpoint} request; APIName is required. */
public record GetDataEndpointRequest(
        @JsonProperty("StreamName") String streamName,
        @JsonProperty("StreamARN") String streamArn,
        @JsonProperty("APIName") String apiName) {

    /** Checks the model constraints and the name-or-ARN rule; throws INVALID_ARGUMENT. */
    public GetDataEndpointRequest validate() {
        new Validation()
                .streamNameOrArn("streamName", streamName, "streamARN", streamArn)
                .required("aPIName", apiName)
                .enumValue("aPIName", apiName, ApiName.class)
                .throwIfInvalid();
        return this;
    }

    /** The API name as an enum; call after {@link #validate()}. */
    public ApiName api() {
        return ApiName.valueOf(apiName);
    }
}
