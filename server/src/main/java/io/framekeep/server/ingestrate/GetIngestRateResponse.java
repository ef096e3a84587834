package io.framekeep.server.ingestrate;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * {@code POST /getIngestRate} response: what the stream's producers delivered over the window
 * {@code (WindowStartTimestamp, WindowEndTimestamp]} by server (arrival) time.
 *
 * @param fragmentCount fragments whose server timestamp lies in the window
 * @param bytes their sizes added up (FragmentSizeInBytes as ListFragments reports it)
 * @param bytesPerSecond {@code bytes} over the window's length
 * @param fragmentsPerSecond {@code fragmentCount} over the window's length
 * @param lastFragmentServerTimestamp the newest of those fragments' server timestamps; absent when
 *     the window holds none
 * @param truncated whether the window held more fragments than are counted at once (the figures
 *     are then lower bounds)
 */
record GetIngestRateResponse(
    @JsonProperty("WindowStartTimestamp") Instant windowStartTimestamp,
    @JsonProperty("WindowEndTimestamp") Instant windowEndTimestamp,
    @JsonProperty("FragmentCount") long fragmentCount,
    @JsonProperty("Bytes") long bytes,
    @JsonProperty("BytesPerSecond") double bytesPerSecond,
    @JsonProperty("FragmentsPerSecond") double fragmentsPerSecond,
    @JsonProperty("LastFragmentServerTimestamp") Instant lastFragmentServerTimestamp,
    @JsonProperty("Truncated") boolean truncated) {}
