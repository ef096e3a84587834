package io.framekeep.storage.cluster;

import io.framekeep.storage.ByteSource;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The cluster backend's {@link ByteSource}: the bytes of one range, read from an object into the heap by a
 * fetch that completes {@link #ready()}. The heap copy is at most one fragment's payload
 * ({@link io.framekeep.storage.FragmentLog#MAX_FRAGMENT_BYTES}), usually one sample run of it; it is dropped
 * on {@link #close()}.
 *
 * <p>Thread safety: one consumer; the fetch completes on a reader thread.
 */
final class FetchedBytes implements ByteSource {

  private final long lengthBytes;
  private final CompletableFuture<byte[]> fetched;
  private volatile boolean closed;

  private FetchedBytes(long lengthBytes, CompletableFuture<byte[]> fetched) {
    this.lengthBytes = lengthBytes;
    this.fetched = fetched;
  }

  /** A source whose bytes {@code fetched} will deliver (exactly {@code lengthBytes} of them). */
  static FetchedBytes of(long lengthBytes, CompletableFuture<byte[]> fetched) {
    return new FetchedBytes(lengthBytes, fetched);
  }

  /** Reads exactly {@code lengthBytes} from {@code in}, for a fetch. */
  static byte[] readExactly(InputStream in, long lengthBytes) throws IOException {
    if (lengthBytes > io.framekeep.storage.FragmentLog.MAX_FRAGMENT_BYTES) {
      // ranges come from committed fragment rows, whose lengths ingest bounded
      throw new IOException("range of " + lengthBytes + " bytes exceeds a fragment's maximum");
    }
    byte[] bytes = new byte[(int) lengthBytes];
    int at = 0;
    while (at < bytes.length) {
      int n = in.read(bytes, at, bytes.length - at);
      if (n < 0) {
        throw new EOFException("object ended " + (bytes.length - at) + " bytes before the range did");
      }
      at += n;
    }
    return bytes;
  }

  @Override
  public long lengthBytes() {
    return lengthBytes;
  }

  @Override
  public CompletionStage<Void> ready() {
    return fetched.thenApply(bytes -> null);
  }

  @Override
  public long transferTo(long offset, long count, WritableByteChannel target) throws IOException {
    byte[] bytes = bytes();
    long n = Math.min(count, lengthBytes - offset);
    if (n <= 0) {
      return 0;
    }
    return target.write(ByteBuffer.wrap(bytes, (int) offset, (int) n));
  }

  @Override
  public void read(long offset, ByteBuffer dst) throws IOException {
    if (offset < 0 || offset > lengthBytes - dst.remaining()) {
      throw new EOFException("reading " + dst.remaining() + " bytes at " + offset + " passes a range of "
          + lengthBytes + " bytes");
    }
    awaitReady();
    dst.put(bytes(), (int) offset, dst.remaining());
  }

  private byte[] bytes() throws IOException {
    if (closed) {
      throw new IOException("byte source closed");
    }
    try {
      return fetched.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException("fetching stored bytes failed", e.getCause());
    }
  }

  @Override
  public void close() {
    closed = true; // the fetch, if still running, completes and is dropped with this source
  }
}
