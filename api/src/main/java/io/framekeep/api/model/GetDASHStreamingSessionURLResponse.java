package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /getDASHStreamingSessionURL} response: the manifest URL of the session. */
public record GetDASHStreamingSessionURLResponse(
        @JsonProperty("DASHStreamingSessionURL") String dashStreamingSessionUrl) {
}
