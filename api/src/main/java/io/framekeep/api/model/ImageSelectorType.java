package io.framekeep.api.model;

/** GetImages {@code ImageSelectorType}: which timestamps the range is in; names are wire values. */
public enum ImageSelectorType {
    PRODUCER_TIMESTAMP,
    SERVER_TIMESTAMP
}
