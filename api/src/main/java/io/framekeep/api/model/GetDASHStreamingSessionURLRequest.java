package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /getDASHStreamingSessionURL} request (kinesis-video-archived-media), spec §3.6.
 *
 * @param expires session lifetime in seconds, 300..43200
 * @param maxManifestFragmentResults 1..5000
 */
public record GetDASHStreamingSessionURLRequest(
        @JsonProperty("StreamName") String streamName,
        @JsonProperty("StreamARN") String streamArn,
        @JsonProperty("PlaybackMode") String playbackMode,
        @JsonProperty("DisplayFragmentTimestamp") String displayFragmentTimestamp,
        @JsonProperty("DisplayFragmentNumber") String displayFragmentNumber,
        @JsonProperty("DASHFragmentSelector") PlaybackFragmentSelector dashFragmentSelector,
        @JsonProperty("Expires") Integer expires,
        @JsonProperty("MaxManifestFragmentResults") Long maxManifestFragmentResults) {

    /** Checks model constraints and the per-mode selector rules; throws INVALID_ARGUMENT. */
    public GetDASHStreamingSessionURLRequest validate() {
        PlaybackValidation.check("dash", streamName, streamArn, playbackMode, dashFragmentSelector,
                        expires, "maxManifestFragmentResults", maxManifestFragmentResults)
                .enumValue("displayFragmentTimestamp", displayFragmentTimestamp,
                        GetHLSStreamingSessionURLRequest.Display.class)
                .enumValue("displayFragmentNumber", displayFragmentNumber,
                        GetHLSStreamingSessionURLRequest.Display.class)
                .throwIfInvalid();
        return this;
    }

    public PlaybackMode mode() {
        return playbackMode == null ? PlaybackMode.LIVE : PlaybackMode.valueOf(playbackMode);
    }

    public FragmentSelectorType selectorType() {
        return dashFragmentSelector == null
                ? FragmentSelectorType.SERVER_TIMESTAMP : dashFragmentSelector.type();
    }

    public boolean displayTimestamps() {
        return "ALWAYS".equals(displayFragmentTimestamp);
    }

    public boolean displayNumbers() {
        return "ALWAYS".equals(displayFragmentNumber);
    }

    public int expiresOrDefault() {
        return expires == null ? GetHLSStreamingSessionURLRequest.DEFAULT_EXPIRES_SECONDS : expires;
    }

    public long maxFragmentsOrDefault() {
        if (maxManifestFragmentResults != null) {
            return maxManifestFragmentResults;
        }
        return mode() == PlaybackMode.ON_DEMAND
                ? GetHLSStreamingSessionURLRequest.DEFAULT_ON_DEMAND_FRAGMENTS
                : GetHLSStreamingSessionURLRequest.DEFAULT_LIVE_FRAGMENTS;
    }
}
