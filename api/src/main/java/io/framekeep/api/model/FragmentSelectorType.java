package io.framekeep.api.model;

/**
 * Timestamp origin of ListFragments {@code FragmentSelectorType} and GetClip
 * {@code ClipFragmentSelectorType}; constant names are the wire values.
 */
public enum FragmentSelectorType {
    PRODUCER_TIMESTAMP,
    SERVER_TIMESTAMP
}
