package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /describeStreamStorageConfiguration} response. */
public record DescribeStreamStorageConfigurationResponse(
        @JsonProperty("StreamName") String streamName,
        @JsonProperty("StreamARN") String streamArn,
        @JsonProperty("StreamStorageConfiguration") StreamStorageConfiguration streamStorageConfiguration) {}
