package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A stream's description, as returned by DescribeStream and ListStreams.
 *
 * @param status a {@link StreamStatus} name
 * @param creationTime written as epoch seconds with millisecond precision
 */
public record StreamInfo(
        @JsonProperty("DeviceName") String deviceName,
        @JsonProperty("StreamName") String streamName,
        @JsonProperty("StreamARN") String streamArn,
        @JsonProperty("MediaType") String mediaType,
        @JsonProperty("KmsKeyId") String kmsKeyId,
        @JsonProperty("Version") String version,
        @JsonProperty("Status") String status,
        @JsonProperty("CreationTime") Instant creationTime,
        @JsonProperty("DataRetentionInHours") Integer dataRetentionInHours) {
}
