package io.framekeep.api.model;

/** UpdateDataRetention {@code Operation}; constant names are the wire values. */
public enum DataRetentionOperation {
    INCREASE_DATA_RETENTION,
    DECREASE_DATA_RETENTION
}
