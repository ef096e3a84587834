package io.framekeep.client;

import java.time.Duration;

/**
 * How large one GetClip piece may be. The defaults are AWS's hard limits; a Framekeep server
 * started with smaller {@code --max-clip-fragments} / {@code --max-clip-bytes} is handled too,
 * because a piece the service truncated is detected and fetched again in halves.
 *
 * @param maxFragments fragments per piece (AWS: 200)
 * @param maxBytes sum of the pieces' Matroska fragment sizes (AWS cuts clips at 100 MB of media;
 *     Matroska framing makes the fragment sizes an upper bound of the media bytes)
 * @param maxSpan time from the first to the last fragment start of one piece (AWS: 24 h)
 */
public record ClipLimits(int maxFragments, long maxBytes, Duration maxSpan) {
  /** GetClip's fragment limit. */
  public static final int AWS_MAX_CLIP_FRAGMENTS = 200;
  /** GetClip's size limit, 100 MiB. */
  public static final long AWS_MAX_CLIP_BYTES = 100L * 1024 * 1024;
  /** GetClip's longest range; a piece stays 1 ms short of it so its end is still accepted. */
  public static final Duration AWS_MAX_CLIP_SPAN = Duration.ofHours(24).minusMillis(1);

  public ClipLimits {
    if (maxFragments < 1 || maxBytes < 1 || maxSpan.isNegative() || maxSpan.isZero()) {
      throw new IllegalArgumentException("clip limits must be positive: " + maxFragments + ", "
          + maxBytes + ", " + maxSpan);
    }
  }

  public static ClipLimits awsDefaults() {
    return new ClipLimits(AWS_MAX_CLIP_FRAGMENTS, AWS_MAX_CLIP_BYTES, AWS_MAX_CLIP_SPAN);
  }

  public ClipLimits withMaxFragments(int fragments) {
    return new ClipLimits(fragments, maxBytes, maxSpan);
  }

  public ClipLimits withMaxBytes(long bytes) {
    return new ClipLimits(maxFragments, bytes, maxSpan);
  }
}
