package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * {@code POST /createStream} request (kinesisvideo CreateStreamInput).
 *
 * @param streamName required
 * @param dataRetentionInHours 0..87600, default 0 (no persistence)
 * @param tags 1..50 tags
 */
public record CreateStreamRequest(
        @JsonProperty("DeviceName") String deviceName,
        @JsonProperty("StreamName") String streamName,
        @JsonProperty("MediaType") String mediaType,
        @JsonProperty("KmsKeyId") String kmsKeyId,
        @JsonProperty("DataRetentionInHours") Integer dataRetentionInHours,
        @JsonProperty("Tags") Map<String, String> tags,
        @JsonProperty("StreamStorageConfiguration") StreamStorageConfiguration streamStorageConfiguration) {

    /** Checks the model constraints; throws INVALID_ARGUMENT naming the offending members. */
    public CreateStreamRequest validate() {
        Validation v = new Validation()
                .deviceName("deviceName", deviceName)
                .required("streamName", streamName)
                .streamName("streamName", streamName)
                .mediaType("mediaType", mediaType)
                .kmsKeyId("kmsKeyId", kmsKeyId)
                .dataRetentionInHours("dataRetentionInHours", dataRetentionInHours)
                .tags("tags", tags);
        if (streamStorageConfiguration != null) {
            streamStorageConfiguration.check(v, "streamStorageConfiguration");
        }
        v.throwIfInvalid();
        return this;
    }
}
