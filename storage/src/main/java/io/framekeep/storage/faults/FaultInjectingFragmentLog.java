package io.framekeep.storage.faults;

import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentCursor;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.TimeOrigin;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A {@link FragmentLog} decorator that makes appends fail on demand, for tests of how the ingest path handles
 * a full disk or an I/O error. Every call goes to the wrapped log; the appenders it opens fail at the points
 * armed in its {@link StorageFaults} (see {@link StorageFaults.Point}). Reads are never faulted.
 *
 * <p>Thread safety: as the wrapped log; the switch may be flipped from any thread while appenders run.
 */
public final class FaultInjectingFragmentLog implements FragmentLog {

  private final FragmentLog delegate;
  private final StorageFaults faults;

  public FaultInjectingFragmentLog(FragmentLog delegate, StorageFaults faults) {
    this.delegate = delegate;
    this.faults = faults;
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
    return new FaultInjectingAppender(delegate.openAppender(streamId), faults);
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
  public Path segmentPath(long streamId, long segmentId) {
    return delegate.segmentPath(streamId, segmentId);
  }

  @Override
  public long deleteOlderThan(long streamId, long cutoffMs) throws IOException {
    return delegate.deleteOlderThan(streamId, cutoffMs);
  }
}
