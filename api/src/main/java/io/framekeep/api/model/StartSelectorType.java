package io.framekeep.api.model;

/** GetMedia {@code StartSelectorType}; constant names are the wire values (spec §3.8). */
public enum StartSelectorType {
    /** Start with the chunk after {@code AfterFragmentNumber}. */
    FRAGMENT_NUMBER,
    /** Start with the chunk containing the fragment with this server timestamp. */
    SERVER_TIMESTAMP,
    /** Start with the chunk containing the fragment with this producer timestamp. */
    PRODUCER_TIMESTAMP,
    /** Start with the latest chunk on the stream. */
    NOW,
    /** Start with the oldest chunk on the stream. */
    EARLIEST,
    /** Start after the chunk that carried {@code ContinuationToken}. */
    CONTINUATION_TOKEN
}
