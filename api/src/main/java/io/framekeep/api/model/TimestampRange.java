package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** ListFragments time range; both ends required and inclusive on fragment start. */
public record TimestampRange(
        @JsonProperty("StartTimestamp") Instant startTimestamp,
        @JsonProperty("EndTimestamp") Instant endTimestamp) {
}
