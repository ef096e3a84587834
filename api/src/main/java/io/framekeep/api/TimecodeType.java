package io.framekeep.api;

/**
 * Values of the PutMedia header {@code x-amzn-fragment-timecode-type}; constant names are the wire
 * values. ABSOLUTE: cluster timecodes are producer timestamps. RELATIVE: producer timestamp =
 * {@code x-amzn-producer-start-timestamp} + cluster timecode.
 */
public enum TimecodeType {
    ABSOLUTE,
    RELATIVE
}
