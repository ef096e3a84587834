package io.framekeep.storage.faults;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The switch that arms and clears the faults of a {@link FaultInjectingFragmentLog}: from the moment a
 * fault is armed and a given number of further fragments have been committed, every call at the armed
 * {@link Point} fails with an {@link IOException} until {@link #clear()}, as a full disk keeps failing until
 * space is freed.
 *
 * <p>Thread safety: arm, clear and the checks may run on any threads; a check sees the latest arming.
 */
public final class StorageFaults {

  /** Where a fault strikes. */
  public enum Point {
    /**
     * {@link io.framekeep.storage.FragmentAppender#write}: half of the buffer reaches the segment file, then
     * the call fails, leaving torn bytes for the appender to discard, as a write that hits a full disk does.
     */
    WRITE,
    /**
     * {@link io.framekeep.storage.FragmentAppender#commit}: fails before the segment is fsync'd and before any
     * index row is written, as a failing {@code fdatasync} does; the fragment's bytes stay pending.
     */
    COMMIT,
    /**
     * {@link io.framekeep.storage.FragmentAppender#commitAsync} accepts the fragment, but its durability fails
     * a little later, in the background, after the session has gone on receiving, as an {@code fdatasync}
     * failing in the commit pipeline does: the returned future fails, and so does every later commit; nothing
     * of it is indexed and its bytes are dropped when the appender closes.
     */
    DURABILITY
  }

  /** The message the kernel's ENOSPC carries in a JDK IOException. */
  public static final String NO_SPACE = "No space left on device";

  private final AtomicLong commits = new AtomicLong();
  private volatile Point armedPoint;
  private volatile long armedAtCommit = Long.MAX_VALUE;
  private volatile String message = NO_SPACE;

  /**
   * Arms {@code point} to fail once {@code afterCommits} more fragments have been handed to commit through the
   * decorated log, with the {@link #NO_SPACE} message.
   */
  public void failAfter(Point point, long afterCommits) {
    failAfter(point, afterCommits, NO_SPACE);
  }

  /** {@link #failAfter(Point, long)} with the message of the thrown {@link IOException}. */
  public void failAfter(Point point, long afterCommits, String failureMessage) {
    if (afterCommits < 0) {
      throw new IllegalArgumentException("afterCommits must not be negative: " + afterCommits);
    }
    message = failureMessage;
    armedAtCommit = commits.get() + afterCommits;
    armedPoint = point;
  }

  /** Disarms every fault ("space returns"). */
  public void clear() {
    armedPoint = null;
    armedAtCommit = Long.MAX_VALUE;
  }

  /** Fragments committed through the decorated log since it was created. */
  public long commits() {
    return commits.get();
  }

  /** Whether a call at {@code point} fails now. */
  boolean firing(Point point) {
    return armedPoint == point && commits.get() >= armedAtCommit;
  }

  IOException failure(Point point) {
    return new IOException(message + " (injected at " + point + ")");
  }

  void committed() {
    commits.incrementAndGet();
  }
}
