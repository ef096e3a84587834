package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code HLSFragmentSelector} and {@code DASHFragmentSelector}, which have the same shape.
 *
 * @param fragmentSelectorType a {@link FragmentSelectorType} name; SERVER_TIMESTAMP when absent
 * @param timestampRange required for ON_DEMAND and LIVE_REPLAY, absent for LIVE
 */
public record PlaybackFragmentSelector(
        @JsonProperty("FragmentSelectorType") String fragmentSelectorType,
        @JsonProperty("TimestampRange") PlaybackTimestampRange timestampRange) {

    /** The selector type, SERVER_TIMESTAMP when absent; call after validation. */
    public FragmentSelectorType type() {
        return fragmentSelectorType == null
                ? FragmentSelectorType.SERVER_TIMESTAMP : FragmentSelectorType.valueOf(fragmentSelectorType);
    }
}
