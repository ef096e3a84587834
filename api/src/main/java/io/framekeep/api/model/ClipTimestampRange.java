package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** GetClip time range; both ends required, compared with fragment start timestamps. */
public record ClipTimestampRange(
        @JsonProperty("StartTimestamp") Instant startTimestamp,
        @JsonProperty("EndTimestamp") Instant endTimestamp) {
}
