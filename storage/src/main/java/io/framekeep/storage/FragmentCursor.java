package io.framekeep.storage;

/**
 * A position in a range query ordered by (timestamp, sequence): the last fragment a caller has seen. Pass it
 * back to {@link FragmentLog#range} to get the fragments strictly after it.
 *
 * @param timestampMs the fragment's timestamp in the origin of the query
 * @param sequence the fragment's sequence number
 */
public record FragmentCursor(long timestampMs, long sequence) {

  /** The cursor positioned at {@code fragment} for queries of {@code origin}. */
  public static FragmentCursor of(FragmentRecord fragment, TimeOrigin origin) {
    return new FragmentCursor(fragment.timestampMs(origin), fragment.sequence());
  }
}
