package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * GetClip selector.
 *
 * @param fragmentSelectorType a {@link FragmentSelectorType} name, required
 * @param timestampRange required
 */
public record ClipFragmentSelector(
        @JsonProperty("FragmentSelectorType") String fragmentSelectorType,
        @JsonProperty("TimestampRange") ClipTimestampRange timestampRange) {

    /** The selector type as an enum; call after validation. */
    public FragmentSelectorType type() {
        return FragmentSelectorType.valueOf(fragmentSelectorType);
    }
}
