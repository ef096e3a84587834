package io.framekeep.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * The stored bytes of one {@link ByteRange}, as a backend serves them: a region of a segment file in the
 * embedded backend, bytes fetched from an object store (in memory or in a local cache file) in the cluster
 * backend. Offsets are relative to the start of the range, {@code 0 <= offset <= lengthBytes()}.
 *
 * <p>Two ways out, so that a response writer can pick per transport: {@link #transferTo} hands the bytes to a
 * channel (zero-copy {@code sendfile} when the source is a file region and the target a socket, as for plain
 * HTTP), {@link #read} copies them into a caller's buffer (frame checks, image decoding, MPEG-TS remuxing, or
 * chunks for a TLS connection, which must encrypt in user space).
 *
 * <p>Readiness: {@link #ready()} completes once the bytes can be transferred without waiting on remote storage
 * (at once for a file; after the ranged GET for an object). {@link #transferTo} may be called only after that;
 * it never blocks on the network, so event loops may call it. {@link #read} may be called at any time and blocks
 * until the bytes are there: use it on worker threads, or after {@link #ready()}.
 *
 * <p>Failure: bytes that are shorter than the range promised (a file truncated or reclaimed behind the reader)
 * raise {@link java.io.EOFException}; failed fetches complete {@link #ready()} exceptionally with the
 * {@link IOException} and make the other methods throw it.
 *
 * <p>Thread safety: one consumer at a time; {@link #ready()} may complete on any thread. {@link #close()}
 * releases what the source holds (a buffer, a cache pin, a file) and is idempotent.
 */
public interface ByteSource extends AutoCloseable {

  /** A completed stage, for sources whose bytes are always local. */
  CompletionStage<Void> READY = CompletableFuture.completedFuture(null);

  /** The range's length: how many bytes {@link #transferTo} and {@link #read} can deliver in all. */
  long lengthBytes();

  /** Completes when the bytes are local; see the type's documentation. */
  CompletionStage<Void> ready();

  /**
   * Blocks until {@link #ready()} completes: for worker threads that will hand the source to an event loop.
   *
   * @throws IOException the fetch's failure ({@link java.nio.file.NoSuchFileException} if the bytes are gone)
   * @throws java.io.InterruptedIOException if interrupted while waiting
   */
  default void awaitReady() throws IOException {
    try {
      ready().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting for stored bytes");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("reading stored bytes failed", e.getCause());
    }
  }

  /**
   * Writes up to {@code count} bytes starting {@code offset} bytes into the range to {@code target}, and
   * returns how many were written: possibly fewer, even 0, when the target is a non-blocking channel whose
   * buffer is full. Call only after {@link #ready()} has completed.
   *
   * @throws java.io.EOFException if the stored bytes end before the range does
   */
  long transferTo(long offset, long count, WritableByteChannel target) throws IOException;

  /**
   * Fills {@code dst.remaining()} bytes of {@code dst} from {@code offset} bytes into the range, advancing its
   * position. Blocks until the bytes are local.
   *
   * @throws java.io.EOFException if the range, or the stored bytes, end before {@code dst} is full
   */
  void read(long offset, ByteBuffer dst) throws IOException;

  @Override
  void close();
}
