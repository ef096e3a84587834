package io.framekeep.storage.cluster;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** A decorator over a real object store that counts requests and the most ranged GETs open at once. */
final class CountingObjectStore implements ObjectStore {

  final AtomicInteger puts = new AtomicInteger();
  final AtomicInteger gets = new AtomicInteger();
  final AtomicInteger openNow = new AtomicInteger();
  final AtomicInteger maxOpen = new AtomicInteger();
  private final ObjectStore delegate;

  CountingObjectStore(ObjectStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public void put(String key, long lengthBytes, Supplier<InputStream> content) throws IOException {
    delegate.put(key, lengthBytes, content);
    puts.incrementAndGet();
  }

  @Override
  public InputStream openRange(String key, long offset, long lengthBytes) throws IOException {
    gets.incrementAndGet();
    return counted(delegate.openRange(key, offset, lengthBytes));
  }

  @Override
  public InputStream openRangeUpTo(String key, long offset, long maxLengthBytes) throws IOException {
    gets.incrementAndGet();
    return counted(delegate.openRangeUpTo(key, offset, maxLengthBytes));
  }

  private InputStream counted(InputStream in) {
    maxOpen.accumulateAndGet(openNow.incrementAndGet(), Math::max);
    return new FilterInputStream(in) {
      private boolean closed;

      @Override
      public void close() throws IOException {
        if (!closed) {
          closed = true;
          openNow.decrementAndGet();
        }
        super.close();
      }
    };
  }

  @Override
  public void delete(String key) throws IOException {
    delegate.delete(key);
  }

  @Override
  public void checkReachable() throws IOException {
    delegate.checkReachable();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
