package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /getHLSStreamingSessionURL} request (kinesis-video-archived-media), spec §3.5.
 * Absent members take their documented defaults through the {@code ...OrDefault} accessors.
 *
 * @param expires session lifetime in seconds, 300..43200
 * @param maxMediaPlaylistFragmentResults 1..5000
 */
public record GetHLSStreamingSessionURLRequest(
        @JsonProperty("StreamName") String streamName,
        @JsonProperty("StreamARN") String streamArn,
        @JsonProperty("PlaybackMode") String playbackMode,
        @JsonProperty("HLSFragmentSelector") PlaybackFragmentSelector hlsFragmentSelector,
        @JsonProperty("ContainerFormat") String containerFormat,
        @JsonProperty("DiscontinuityMode") String discontinuityMode,
        @JsonProperty("DisplayFragmentTimestamp") String displayFragmentTimestamp,
        @JsonProperty("Expires") Integer expires,
        @JsonProperty("MaxMediaPlaylistFragmentResults") Long maxMediaPlaylistFragmentResults) {

    /** {@code ContainerFormat} values. */
    public enum ContainerFormat { FRAGMENTED_MP4, MPEG_TS }

    /** {@code DiscontinuityMode} values. */
    public enum DiscontinuityMode { ALWAYS, NEVER, ON_DISCONTINUITY }

    /** {@code DisplayFragmentTimestamp} / {@code DisplayFragmentNumber} values. */
    public enum Display { ALWAYS, NEVER }

    /** Default session lifetime: 300 s. */
    public static final int DEFAULT_EXPIRES_SECONDS = (int) PlaybackValidation.EXPIRES_MIN_SECONDS;
    /** Default playlist length for LIVE and LIVE_REPLAY. */
    public static final long DEFAULT_LIVE_FRAGMENTS = 5;
    /** Default playlist length for ON_DEMAND. */
    public static final long DEFAULT_ON_DEMAND_FRAGMENTS = 1000;

    /** Checks model constraints and the per-mode selector rules; throws INVALID_ARGUMENT. */
    public GetHLSStreamingSessionURLRequest validate() {
        PlaybackValidation.check("hls", streamName, streamArn, playbackMode, hlsFragmentSelector,
                        expires, "maxMediaPlaylistFragmentResults", maxMediaPlaylistFragmentResults)
                .enumValue("containerFormat", containerFormat, ContainerFormat.class)
                .enumValue("discontinuityMode", discontinuityMode, DiscontinuityMode.class)
                .enumValue("displayFragmentTimestamp", displayFragmentTimestamp, Display.class)
                .throwIfInvalid();
        return this;
    }

    public PlaybackMode mode() {
        return playbackMode == null ? PlaybackMode.LIVE : PlaybackMode.valueOf(playbackMode);
    }

    public FragmentSelectorType selectorType() {
        return hlsFragmentSelector == null
                ? FragmentSelectorType.SERVER_TIMESTAMP : hlsFragmentSelector.type();
    }

    public ContainerFormat container() {
        return containerFormat == null ? ContainerFormat.FRAGMENTED_MP4
                : ContainerFormat.valueOf(containerFormat);
    }

    /** ALWAYS with server timestamps, NEVER with producer timestamps, unless given. */
    public DiscontinuityMode discontinuity() {
        if (discontinuityMode != null) {
            return DiscontinuityMode.valueOf(discontinuityMode);
        }
        return selectorType() == FragmentSelectorType.SERVER_TIMESTAMP
                ? DiscontinuityMode.ALWAYS : DiscontinuityMode.NEVER;
    }

    public boolean displayTimestamps() {
        return Display.ALWAYS.name().equals(displayFragmentTimestamp);
    }

    public int expiresOrDefault() {
        return expires == null ? DEFAULT_EXPIRES_SECONDS : expires;
    }

    public long maxFragmentsOrDefault() {
        if (maxMediaPlaylistFragmentResults != null) {
            return maxMediaPlaylistFragmentResults;
        }
        return mode() == PlaybackMode.ON_DEMAND ? DEFAULT_ON_DEMAND_FRAGMENTS : DEFAULT_LIVE_FRAGMENTS;
    }
}
