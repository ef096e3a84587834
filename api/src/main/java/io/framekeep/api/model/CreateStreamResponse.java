package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /createStream} response. */
public record CreateStreamResponse(@JsonProperty("StreamARN") String streamArn) {
}
