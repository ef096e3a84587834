package io.framekeep.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link FragmentAppender} that passes every call to another: the base of decorators, which override only
 * what they change. Thread safety: as the wrapped appender (one thread at a time).
 */
public abstract class ForwardingFragmentAppender implements FragmentAppender {

  private final FragmentAppender delegate;

  protected ForwardingFragmentAppender(FragmentAppender delegate) {
    this.delegate = delegate;
  }

  protected final FragmentAppender delegate() {
    return delegate;
  }

  @Override
  public void write(ByteBuffer bytes) throws IOException {
    delegate.write(bytes);
  }

  @Override
  public long pendingBytes() {
    return delegate.pendingBytes();
  }

  @Override
  public void readPending(long offset, ByteBuffer dst) throws IOException {
    delegate.readPending(offset, dst);
  }

  @Override
  public CompletableFuture<FragmentRecord> commitAsync(FragmentMetadata metadata) throws IOException {
    return delegate.commitAsync(metadata);
  }

  @Override
  public long nextSequence() throws IOException {
    return delegate.nextSequence();
  }

  @Override
  public void discard() throws IOException {
    delegate.discard();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
