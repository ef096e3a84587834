package io.framekeep.api.model;

import java.time.Duration;

/**
 * The rules GetHLSStreamingSessionURL and GetDASHStreamingSessionURL share (spec §3.5, §3.6):
 * playback mode, selector and range per mode, Expires and the fragment-count member.
 */
final class PlaybackValidation {
    /** Shortest session: 5 minutes (model constraint of Expires). */
    static final long EXPIRES_MIN_SECONDS = 300;
    /** Longest session: 12 hours (model constraint of Expires). */
    static final long EXPIRES_MAX_SECONDS = 43_200;
    /** Playlists and manifests list at most 5000 fragments (spec §5.2). */
    static final long MAX_FRAGMENT_RESULTS = 5_000;
    /** Longest ON_DEMAND / LIVE_REPLAY range (model documentation of the TimestampRange). */
    static final Duration MAX_RANGE = Duration.ofHours(24);

    private PlaybackValidation() {}

    static Validation check(String prefix, String streamName, String streamArn, String playbackMode,
            PlaybackFragmentSelector selector, Integer expires, String maxResultsMember,
            Long maxResults) {
        Validation v = new Validation()
                .streamNameOrArn("streamName", streamName, "streamARN", streamArn)
                .enumValue("playbackMode", playbackMode, PlaybackMode.class)
                .range("expires", expires == null ? null : expires.longValue(), EXPIRES_MIN_SECONDS,
                        EXPIRES_MAX_SECONDS)
                .range(maxResultsMember, maxResults, 1, MAX_FRAGMENT_RESULTS);
        if (!v.isValid()) {
            return v;
        }
        PlaybackMode mode = playbackMode == null ? PlaybackMode.LIVE : PlaybackMode.valueOf(playbackMode);
        String path = prefix + "FragmentSelector";
        if (selector != null) {
            v.enumValue(path + ".fragmentSelectorType", selector.fragmentSelectorType(),
                    FragmentSelectorType.class);
        }
        PlaybackTimestampRange range = selector == null ? null : selector.timestampRange();
        switch (mode) {
            case LIVE -> v.rule(range == null,
                    "The TimestampRange must not be specified when the PlaybackMode is LIVE.");
            case LIVE_REPLAY -> {
                v.rule(range != null && range.startTimestamp() != null,
                        "The StartTimestamp is required when the PlaybackMode is LIVE_REPLAY.");
                checkOrder(v, range);
            }
            case ON_DEMAND -> {
                v.rule(range != null && range.startTimestamp() != null && range.endTimestamp() != null,
                        "The StartTimestamp and EndTimestamp are required when the PlaybackMode is"
                                + " ON_DEMAND.");
                checkOrder(v, range);
            }
        }
        return v;
    }

    private static void checkOrder(Validation v, PlaybackTimestampRange range) {
        if (range != null && range.startTimestamp() != null && range.endTimestamp() != null) {
            v.rule(range.endTimestamp().isAfter(range.startTimestamp()),
                    "The EndTimestamp must be later than the StartTimestamp.")
                    .rule(Duration.between(range.startTimestamp(), range.endTimestamp())
                                    .compareTo(MAX_RANGE) <= 0,
                            "The time range between StartTimestamp and EndTimestamp must not exceed 24"
                                    + " hours.");
        }
    }
}
