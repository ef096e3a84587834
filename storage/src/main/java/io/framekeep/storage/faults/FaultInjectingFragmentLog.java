package io.framekeep.storage.faults;

import io.framekeep.storage.ForwardingFragmentLog;
import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentLog;
import java.io.IOException;

/**
 * A {@link FragmentLog} decorator that makes appends fail on demand, for tests of how the ingest path handles
 * a full disk or an I/O error. Every call goes to the wrapped log; the appenders it opens fail at the points
 * armed in its {@link StorageFaults} (see {@link StorageFaults.Point}). Reads are never faulted.
 *
 * <p>Thread safety: as the wrapped log; the switch may be flipped from any thread while appenders run.
 */
public final class FaultInjectingFragmentLog extends ForwardingFragmentLog {

  private final StorageFaults faults;

  public FaultInjectingFragmentLog(FragmentLog delegate, StorageFaults faults) {
    super(delegate);
    this.faults = faults;
  }

  @Override
  public FragmentAppender openAppender(long streamId) throws IOException {
    return new FaultInjectingAppender(delegate().openAppender(streamId), faults);
  }
}
