package io.framekeep.api.model;

/** GetImages {@code FormatConfig} keys; constant names are the wire values. */
public enum FormatConfigKey {
    /** JPEG quality 1..100 as a decimal string; 100 is best quality, least compression. */
    JPEGQuality
}
