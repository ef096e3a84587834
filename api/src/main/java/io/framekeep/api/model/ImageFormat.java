package io.framekeep.api.model;

/** GetImages {@code Format}; constant names are the wire values. */
public enum ImageFormat {
    JPEG,
    PNG
}
