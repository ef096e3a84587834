package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * HLS / DASH {@code TimestampRange}: compared with fragment start timestamps (spec §1.4). Start is
 * required for ON_DEMAND and LIVE_REPLAY, End for ON_DEMAND only.
 */
public record PlaybackTimestampRange(
        @JsonProperty("StartTimestamp") Instant startTimestamp,
        @JsonProperty("EndTimestamp") Instant endTimestamp) {
}
