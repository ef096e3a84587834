package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /getDataEndpoint} response: a base URL without a path. */
public record GetDataEndpointResponse(@JsonProperty("DataEndpoint") String dataEndpoint) {
}
