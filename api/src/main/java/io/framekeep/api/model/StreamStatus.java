package io.framekeep.api.model;

/** StreamInfo {@code Status}; constant names are the wire values. */
public enum StreamStatus {
    CREATING,
    ACTIVE,
    UPDATING,
    DELETING
}
