package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /updateDataRetention} request.
 *
 * @param operation a {@link DataRetentionOperation} name, required
 * @param dataRetentionChangeInHours 1..87600, required; the resulting retention must also stay
 *     within 0..87600, which the server checks against the stored value
 */
public record UpdateDataRetentionRequest(
        @JsonProperty("StreamName") String streamName,
        @JsonProperty("StreamARN") String streamArn,
        @JsonProperty("CurrentVersion") String currentVersion,
        @JsonProperty("Operation") String operation,
        @JsonProperty("DataRetentionChangeInHours") Integer dataRetentionChangeInHours) {

    /** Checks the model constraints and the name-or-ARN rule; throws INVALID_ARGUMENT. */
    public UpdateDataRetentionRequest validate() {
        new Validation()
                .streamNameOrArn("streamName", streamName, "streamARN", streamArn)
                .required("currentVersion", currentVersion)
                .version("currentVersion", currentVersion)
                .required("operation", operation)
                .enumValue("operation", operation, DataRetentionOperation.class)
                .required("dataRetentionChangeInHours", dataRetentionChangeInHours)
                .range("dataRetentionChangeInHours",
                        dataRetentionChangeInHours == null ? null : dataRetentionChangeInHours.longValue(),
                        1, Validation.DATA_RETENTION_HOURS_MAX)
                .throwIfInvalid();
        return this;
    }

    /** The operation as an enum; call after {@link #validate()}. */
    public DataRetentionOperation operationType() {
        return DataRetentionOperation.valueOf(operation);
    }
}
