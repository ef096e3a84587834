package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * ListFragments selector.
 *
 * @param fragmentSelectorType a {@link FragmentSelectorType} name, required
 * @param timestampRange required
 */
public record FragmentSelector(
        @JsonProperty("FragmentSelectorType") String fragmentSelectorType,
        @JsonProperty("TimestampRange") TimestampRange timestampRange) {

    /** The selector type as an enum; call after validation. */
    public FragmentSelectorType type() {
        return FragmentSelectorType.valueOf(fragmentSelectorType);
    }
}
