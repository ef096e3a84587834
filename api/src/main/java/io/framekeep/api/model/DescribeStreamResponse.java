package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /describeStream} response. */
public record DescribeStreamResponse(@JsonProperty("StreamInfo") StreamInfo streamInfo) {
}
