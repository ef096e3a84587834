package io.framekeep.storage.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * The bucket that holds the cluster's media objects. Objects are written once and never modified; they are
 * deleted only when no index row points into them any more.
 *
 * <p>The seam for decorators (a local disk cache of ranges, metrics, fault injection): implementations wrap
 * one another. Thread safety: every method may be called concurrently from any thread.
 */
public interface ObjectStore extends AutoCloseable {

  /**
   * Stores {@code lengthBytes} bytes under {@code key}; returns once the store acknowledged them durably.
   * {@code content} may be called again for a retry and must then return the same bytes from the start.
   *
   * @throws ObjectStoreException if the store refused or could not be reached
   */
  void put(String key, long lengthBytes, Supplier<InputStream> content) throws IOException;

  /**
   * Opens bytes {@code [offset, offset + lengthBytes)} of the object. The stream ends after exactly
   * {@code lengthBytes} bytes; closing it early abandons the rest of the transfer.
   *
   * @throws java.nio.file.NoSuchFileException if there is no such object
   * @throws ObjectStoreException if the store failed
   */
  InputStream openRange(String key, long offset, long lengthBytes) throws IOException;

  /**
   * Opens bytes {@code [offset, offset + maxLengthBytes)} of the object, cut at the object's end: the stream
   * ends after {@code min(maxLengthBytes, size - offset)} bytes. For readers of aligned blocks that do not know
   * an object's size (the local cache, {@link CachingObjectStore}).
   *
   * <p>The default opens exactly {@code maxLengthBytes} with {@link #openRange}, which is right only for a range
   * inside the object: a store that can tell the object's end (every real one) overrides it, and so must a
   * decorator that wraps such a store.
   *
   * @throws java.nio.file.NoSuchFileException if there is no such object
   * @throws java.io.EOFException if {@code offset} is at or past the object's end
   * @throws ObjectStoreException if the store failed
   */
  default InputStream openRangeUpTo(String key, long offset, long maxLengthBytes) throws IOException {
    return openRange(key, offset, maxLengthBytes);
  }

  /** Deletes the object; a missing object is not an error. */
  void delete(String key) throws IOException;

  /**
   * Returns when the store answers for the bucket within a short bound (a few seconds at most), for health
   * checks: nothing is read or written.
   *
   * @throws ObjectStoreException if the store cannot be reached or denies the bucket
   */
  void checkReachable() throws IOException;

  @Override
  void close();
}
