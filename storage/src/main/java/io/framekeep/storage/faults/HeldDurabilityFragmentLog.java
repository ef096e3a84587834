package io.framekeep.storage.faults;

import io.framekeep.storage.ForwardingFragmentAppender;
import io.framekeep.storage.ForwardingFragmentLog;
import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentMetadata;
import io.framekeep.storage.FragmentRecord;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link FragmentLog} decorator that makes storage slow to make fragments durable, for tests of how the
 * ingest path copes (acks, timeouts): the fragments its appenders commit are stored by the wrapped log at
 * once, but their futures complete only when its {@link DurabilityHold} lets them, still in seal order; and a
 * commit blocks while the hold is full. Reads are untouched.
 *
 * <p>Thread safety: as the wrapped log; the hold may be switched from any thread.
 */
public final class HeldDurabilityFragmentLog extends ForwardingFragmentLog {

  private final DurabilityHold hold;

  public HeldDurabilityFragmentLog(FragmentLog delegate, DurabilityHold hold) {
    super(delegate);
    this.hold = hold;
  }

  @Override
  public FragmentAppender openAppender(long streamId) throws IOException {
    return new HeldAppender(delegate().openAppender(streamId), hold);
  }

  /** Holds each commit's future back; one thread at a time, as the wrapped appender. */
  private static final class HeldAppender extends ForwardingFragmentAppender {
    private final DurabilityHold hold;
    /** The future last returned: the next completes after it, keeping seal order. */
    private CompletableFuture<?> previous = CompletableFuture.completedFuture(null);

    HeldAppender(FragmentAppender delegate, DurabilityHold hold) {
      super(delegate);
      this.hold = hold;
    }

    @Override
    public CompletableFuture<FragmentRecord> commitAsync(FragmentMetadata metadata) throws IOException {
      CompletableFuture<Void> gate = hold.enter();
      CompletableFuture<FragmentRecord> durable;
      try {
        durable = delegate().commitAsync(metadata);
      } catch (IOException | RuntimeException e) {
        hold.left();
        throw e;
      }
      CompletableFuture<?> before = previous.handle((r, e) -> null);
      CompletableFuture<FragmentRecord> held = durable.thenCombine(gate, (record, v) -> record)
          .thenCombine(before, (record, v) -> record);
      held.whenComplete((r, e) -> hold.left());
      previous = held;
      return held;
    }
  }
}
