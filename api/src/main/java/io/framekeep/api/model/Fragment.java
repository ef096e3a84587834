package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One fragment in a ListFragments response.
 *
 * @param fragmentNumber decimal string (see {@link io.framekeep.api.FragmentNumbers})
 * @param fragmentSizeInBytes total size including metadata
 * @param fragmentLengthInMilliseconds playback duration
 */
public record Fragment(
        @JsonProperty("FragmentNumber") String fragmentNumber,
        @JsonProperty("FragmentSizeInBytes") Long fragmentSizeInBytes,
        @JsonProperty("ProducerTimestamp") Instant producerTimestamp,
        @JsonProperty("ServerTimestamp") Instant serverTimestamp,
        @JsonProperty("FragmentLengthInMilliseconds") Long fragmentLengthInMilliseconds) {
}
