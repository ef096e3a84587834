package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * GetMedia start selector. Which member is needed depends on the type: FRAGMENT_NUMBER needs
 * {@code afterFragmentNumber}, SERVER_TIMESTAMP and PRODUCER_TIMESTAMP need
 * {@code startTimestamp}, CONTINUATION_TOKEN needs {@code continuationToken}; NOW and EARLIEST
 * need none. Members the type does not use are ignored.
 *
 * @param startSelectorType a {@link StartSelectorType} name, required
 * @param afterFragmentNumber 1..128 decimal digits
 * @param startTimestamp epoch seconds on the wire
 * @param continuationToken 1..128 of {@code [a-zA-Z0-9_.-]}
 */
public record StartSelector(
        @JsonProperty("StartSelectorType") String startSelectorType,
        @JsonProperty("AfterFragmentNumber") String afterFragmentNumber,
        @JsonProperty("StartTimestamp") Instant startTimestamp,
        @JsonProperty("ContinuationToken") String continuationToken) {

    /** The selector type as an enum; call after validation. */
    public StartSelectorType type() {
        return StartSelectorType.valueOf(startSelectorType);
    }
}
