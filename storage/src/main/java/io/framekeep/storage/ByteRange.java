package io.framekeep.storage;

import java.util.Objects;

/**
 * Bytes {@code [offsetInFragment, offsetInFragment + lengthBytes)} of one stored fragment's payload: what the
 * read path asks storage for. It names the fragment, never where its bytes live (a segment file, an object),
 * which only the backend knows.
 *
 * @param fragment the committed fragment, as a {@link FragmentLog} returned it
 * @param offsetInFragment where the range starts, counted from the start of the fragment's payload
 * @param lengthBytes how many bytes
 */
public record ByteRange(FragmentRecord fragment, long offsetInFragment, long lengthBytes) {

  /**
   * @throws IllegalArgumentException if the range does not lie within the fragment's payload: callers derive
   *     ranges from the fragment's own frame table, so this is a programmer error, not bad input
   */
  public ByteRange {
    Objects.requireNonNull(fragment, "fragment");
    if (offsetInFragment < 0 || lengthBytes < 0
        || offsetInFragment > fragment.lengthBytes() - lengthBytes) {
      throw new IllegalArgumentException("bytes [" + offsetInFragment + ", +" + lengthBytes
          + ") are outside fragment " + fragment.sequence() + " of " + fragment.lengthBytes() + " bytes");
    }
  }

  /** The whole payload of {@code fragment}. */
  public static ByteRange whole(FragmentRecord fragment) {
    return new ByteRange(fragment, 0, fragment.lengthBytes());
  }
}
