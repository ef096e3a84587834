package io.framekeep.storage;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A {@link FragmentLog} that passes every call to another: the base of decorators (fault injection, metering),
 * which override only what they change. Thread safety: as the wrapped log.
 */
public abstract class ForwardingFragmentLog implements FragmentLog {

  private final FragmentLog delegate;

  protected ForwardingFragmentLog(FragmentLog delegate) {
    this.delegate = delegate;
  }

  protected final FragmentLog delegate() {
    return delegate;
  }

  @Override
  public long putHeader(long streamId, byte[] header) throws IOException {
    return delegate.putHeader(streamId, header);
  }

  @Override
  public byte[] header(long headerId) throws IOException {
    return delegate.header(headerId);
  }

  @Override
  public FragmentAppender openAppender(long streamId) throws IOException {
    return delegate.openAppender(streamId);
  }

  @Override
  public List<FragmentRecord> range(
      long streamId, TimeOrigin origin, long startMs, long endMs, FragmentCursor after, int limit) {
    return delegate.range(streamId, origin, startMs, endMs, after, limit);
  }

  @Override
  public Optional<FragmentRecord> bySequence(long streamId, long sequence) {
    return delegate.bySequence(streamId, sequence);
  }

  @Override
  public ByteSource open(ByteRange range) throws IOException {
    return delegate.open(range);
  }

  @Override
  public RangeReader openRanges(List<ByteRange> ranges) throws IOException {
    return delegate.openRanges(ranges);
  }

  @Override
  public long deleteOlderThan(long streamId, long cutoffMs) throws IOException {
    return delegate.deleteOlderThan(streamId, cutoffMs);
  }
}
