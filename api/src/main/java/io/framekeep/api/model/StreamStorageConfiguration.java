package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * CreateStream {@code StreamStorageConfiguration}.
 *
 * @param defaultStorageTier {@code HOT} or {@code WARM}; required when the structure is present
 */
public record StreamStorageConfiguration(@JsonProperty("DefaultStorageTier") String defaultStorageTier) {

    void check(Validation v, String path) {
        v.required(path + ".defaultStorageTier", defaultStorageTier)
                .enumValue(path + ".defaultStorageTier", defaultStorageTier, StorageTier.class);
    }
}
