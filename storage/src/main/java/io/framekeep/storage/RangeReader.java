package io.framekeep.storage;

import java.util.NoSuchElementException;

/**
 * The stored bytes of a list of {@link ByteRange}s, handed out in order, one {@link ByteSource} per range: how a
 * response that spans many ranges (a clip's sample runs, a fragment list) reads storage.
 *
 * <p>Knowing the whole list up front lets a backend plan its reads: the cluster backend merges adjacent ranges
 * of one object into one ranged GET and keeps several in flight ahead of the consumer, within its own memory
 * bound; the embedded backend opens each segment file once and shares it between the ranges in it. Neither
 * holds the whole response in memory: a consumer that has written a source and seen it sent closes it, and
 * then the backend may reuse what it held. A consumer that waits on a source's {@link ByteSource#ready()} must
 * first send (flush) what it has already taken, since a bounded backend may wait for those to be closed.
 *
 * <p>Failure: a range whose bytes are gone (reclaimed by retention or stream deletion after its record was
 * read) fails with {@link java.nio.file.NoSuchFileException}, when the reader is opened or from the source's
 * {@link ByteSource#ready()}; the consumer cannot tell which in advance.
 *
 * <p>Thread safety: one consumer at a time. {@link #close()} releases every resource, including those of
 * sources handed out and not yet closed (which must no longer be used); it is idempotent.
 */
public interface RangeReader extends AutoCloseable {

  /** Whether ranges remain to be handed out. */
  boolean hasNext();

  /**
   * The source of the next range. Does not wait for its bytes (see {@link ByteSource#ready()}).
   *
   * @throws NoSuchElementException if none remain
   */
  ByteSource next();

  @Override
  void close();

  /** A reader of no ranges, for bodies entirely in memory. */
  static RangeReader empty() {
    return new RangeReader() {
      @Override
      public boolean hasNext() {
        return false;
      }

      @Override
      public ByteSource next() {
        throw new NoSuchElementException("no ranges");
      }

      @Override
      public void close() {}
    };
  }
}
