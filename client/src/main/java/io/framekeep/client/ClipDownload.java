package io.framekeep.client;

/**
 * What a long-clip download did.
 *
 * @param fragments fragments in the clip
 * @param pieces GetClip calls whose pieces were joined
 * @param refetches pieces the service truncated, fetched again in halves
 * @param bytesWritten size of the MP4 written
 * @param durationMs presentation duration of the longest track
 */
public record ClipDownload(int fragments, int pieces, int refetches, long bytesWritten,
    long durationMs) {}
