package io.framekeep.storage.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * Reads fragment payloads out of objects as one ordered byte stream, for clips and media responses:
 * ranges of the same object that are adjacent or a short gap apart are served by one ranged GET
 * ({@link CoalescedGet}, the gap's bytes dropped), and up to
 * {@code maxInFlight} GETs are opened ahead of the one being read, so the store's latency is paid once, not
 * per range. Nothing is buffered in the heap beyond one copy buffer: an opened GET waits in its socket (TCP
 * flow control holds the rest), so memory does not grow with the clip.
 *
 * <p>The local cache ({@code --cache-dir}, {@link CachingObjectStore}) is an {@link ObjectStore} decorator
 * under this reader: the coalesced ranges are served from its blocks unchanged.
 *
 * <p>Thread safety: a reader may be shared; each {@link #open} stream belongs to one consumer thread.
 */
public final class RangedReader {

  /** 4 GETs ahead: covers ~100 ms of first-byte latency at the rate one reader consumes a coalesced range. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 4;

  /**
   * 16 MiB per GET at most: merging beyond this gains nothing on latency and makes a retry of a broken
   * transfer (and a cache entry) expensive.
   */
  public static final long DEFAULT_MAX_COALESCED_BYTES = 16L << 20;

  /**
   * 256 KiB: the most a GET reads and drops to join the next range rather than open another GET. A clip's
   * ranges are one per fragment, separated by cluster headers (bytes) in a per-stream object and by other
   * streams' fragments in a shared one; a GET's first byte costs 10-50 ms on a remote store, in which time
   * a connection moves well over 256 KiB, so joining across a shorter gap is always the cheaper read.
   */
  public static final long DEFAULT_MAX_GAP_BYTES = 256L << 10;

  /** 64 KiB copy buffer, as the JDK's transferTo uses 8-16 KiB and a socket read rarely returns more. */
  static final int COPY_BUFFER_BYTES = 64 << 10;

  private final ObjectStore store;
  private final Executor opener;
  private final int maxInFlight;
  private final long maxCoalescedBytes;

  /**
   * @param opener runs the blocking GET requests (their responses are then read by the consumer)
   */
  public RangedReader(ObjectStore store, Executor opener, int maxInFlight, long maxCoalescedBytes) {
    if (maxInFlight <= 0 || maxCoalescedBytes <= 0) {
      throw new IllegalArgumentException("maxInFlight and maxCoalescedBytes must be positive");
    }
    this.store = store;
    this.opener = opener;
    this.maxInFlight = maxInFlight;
    this.maxCoalescedBytes = maxCoalescedBytes;
  }

  /** The bytes of all {@code ranges}, in order, as one stream. Close it to abandon the rest. */
  public InputStream open(List<ObjectRange> ranges) {
    return new Sequence(CoalescedGet.plan(ranges, maxCoalescedBytes, DEFAULT_MAX_GAP_BYTES));
  }

  /** Copies the bytes of all {@code ranges}, in order, to {@code out}; returns the count. */
  public long copyTo(List<ObjectRange> ranges, OutputStream out) throws IOException {
    try (InputStream in = open(ranges)) {
      byte[] buffer = new byte[COPY_BUFFER_BYTES];
      long total = 0;
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        total += n;
      }
      return total;
    }
  }

  /** The ordered stream over coalesced ranges with a window of GETs opened ahead. */
  private final class Sequence extends BulkInputStream {
    private final Deque<CoalescedGet> notOpened;
    private final Deque<CompletableFuture<InputStream>> opened = new ArrayDeque<>();
    private InputStream current;
    private boolean closed;

    Sequence(List<CoalescedGet> gets) {
      this.notOpened = new ArrayDeque<>(gets);
      fillWindow();
    }

    private void fillWindow() {
      while (opened.size() < maxInFlight && !notOpened.isEmpty()) {
        CoalescedGet get = notOpened.poll();
        ObjectRange range = get.get();
        opened.add(CompletableFuture.supplyAsync(() -> {
          try {
            InputStream body = store.openRange(range.key(), range.offset(), range.lengthBytes());
            return get.pieces().size() == 1 ? body : new PiecesInputStream(body, get);
          } catch (IOException e) {
            throw new CompletionException(e);
          }
        }, opener));
      }
    }

    /** The stream to read from, advancing to the next range when one ends; null at the end. */
    private InputStream current() throws IOException {
      if (closed) {
        throw new IOException("stream closed");
      }
      if (current == null && !opened.isEmpty()) {
        CompletableFuture<InputStream> next = opened.poll();
        fillWindow();
        try {
          current = next.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted opening a ranged GET");
        } catch (ExecutionException e) {
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          throw new IOException("ranged GET failed", e.getCause());
        }
      }
      return current;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      while (true) {
        InputStream in = current();
        if (in == null) {
          return -1;
        }
        int n = in.read(buffer, offset, length);
        if (n >= 0) {
          return n;
        }
        in.close();
        current = null;
      }
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      notOpened.clear();
      for (CompletableFuture<InputStream> pending : opened) {
        pending.thenAccept(RangedReader::closeQuietly);
      }
      opened.clear();
      if (current != null) {
        current.close();
        current = null;
      }
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // abandoning a prefetched range; nothing to report
    }
  }
}
