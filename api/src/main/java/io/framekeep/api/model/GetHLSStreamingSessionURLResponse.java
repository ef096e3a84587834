package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /getHLSStreamingSessionURL} response: the master playlist URL of the session. */
public record GetHLSStreamingSessionURLResponse(
        @JsonProperty("HLSStreamingSessionURL") String hlsStreamingSessionUrl) {
}
