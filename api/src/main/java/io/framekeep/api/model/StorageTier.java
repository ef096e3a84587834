package io.framekeep.api.model;

/** StreamStorageConfiguration {@code DefaultStorageTier}; constant names are the wire values. */
public enum StorageTier {
    HOT,
    WARM
}
