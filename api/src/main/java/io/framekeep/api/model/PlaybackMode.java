package io.framekeep.api.model;

/**
 * HLS / DASH {@code PlaybackMode}; constant names are the wire values. LIVE is the default.
 */
public enum PlaybackMode {
    LIVE,
    LIVE_REPLAY,
    ON_DEMAND
}
