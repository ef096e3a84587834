package io.framekeep.storage.cluster;

import io.framekeep.storage.ByteRange;
import io.framekeep.storage.ByteSource;
import io.framekeep.storage.RangeReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The cluster backend's {@link RangeReader}: all ranges of one response are read as one ordered stream from
 * {@link RangedReader} (adjacent ranges of an object coalesced into one GET, several GETs opened ahead), and
 * each source handed out by {@link #next()} is filled from that stream, in order, after the previous one.
 *
 * <p>Memory: a source is filled only once handed out, and consumers take the next one after writing the
 * previous (see {@link RangeReader}), so the heap holds the sources taken and not yet sent, plus one copy
 * buffer per GET in flight; never the whole response.
 *
 * <p>Thread safety: one consumer; fills run one at a time on the reader's executor.
 */
final class ObjectRangeReader implements RangeReader {

  private final List<ByteRange> ranges;
  private final Executor filler;
  private final InputStream stream;
  private CompletableFuture<byte[]> previous = CompletableFuture.completedFuture(new byte[0]);
  private int next;
  private volatile boolean closed;

  private ObjectRangeReader(List<ByteRange> ranges, Executor filler, InputStream stream) {
    this.ranges = ranges;
    this.filler = filler;
    this.stream = stream;
  }

  /**
   * @param objectRanges where each non-empty range lives, in the same order (empty ranges have none)
   */
  static ObjectRangeReader open(List<ByteRange> ranges, List<ObjectRange> objectRanges, RangedReader reader,
      Executor filler) {
    return new ObjectRangeReader(List.copyOf(ranges), filler, reader.open(new ArrayList<>(objectRanges)));
  }

  @Override
  public boolean hasNext() {
    return next < ranges.size();
  }

  @Override
  public ByteSource next() {
    if (next >= ranges.size()) {
      throw new NoSuchElementException("all " + ranges.size() + " ranges were handed out");
    }
    long length = ranges.get(next++).lengthBytes();
    // Chained on the previous fill even when it failed, so that the stream is read strictly in order; a
    // failure of an earlier fill fails every later source.
    CompletableFuture<byte[]> fill = previous.thenApplyAsync(ignored -> {
      if (closed) {
        throw new CompletionException(new IOException("range reader closed"));
      }
      try {
        return length == 0 ? new byte[0] : FetchedBytes.readExactly(stream, length);
      } catch (IOException e) {
        throw new CompletionException(e);
      } catch (UncheckedIOException e) {
        throw new CompletionException(e.getCause());
      }
    }, filler);
    previous = fill;
    return FetchedBytes.of(length, fill);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Closed after any fill in progress, which owns the stream until it returns.
    previous.whenComplete((bytes, error) -> {
      try {
        stream.close();
      } catch (IOException e) {
        // abandoning the rest of the transfer; nothing to report
      }
    });
  }
}
