package io.framekeep.storage.faults;

import io.framekeep.storage.ForwardingFragmentAppender;
import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentMetadata;
import io.framekeep.storage.FragmentRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The appender of a {@link FaultInjectingFragmentLog}: delegates, failing where its {@link StorageFaults}
 * say. Thread safety: as the wrapped appender (one thread at a time).
 */
final class FaultInjectingAppender extends ForwardingFragmentAppender {

  /** How long after the seal an injected durability failure is reported, off the caller's thread. */
  private static final long DURABILITY_FAILURE_DELAY_MS = 50;

  private final StorageFaults faults;
  /** Set once a durability failure is injected: every later commit fails with it, as in the pipeline. */
  private IOException durabilityFailure;

  FaultInjectingAppender(FragmentAppender delegate, StorageFaults faults) {
    super(delegate);
    this.faults = faults;
  }

  @Override
  public void write(ByteBuffer bytes) throws IOException {
    if (faults.firing(StorageFaults.Point.WRITE)) {
      // A write into a filling disk lands partly, then fails: pass the first half through.
      ByteBuffer firstHalf = bytes.slice();
      firstHalf.limit(bytes.remaining() / 2);
      delegate().write(firstHalf);
      bytes.position(bytes.position() + firstHalf.limit());
      throw faults.failure(StorageFaults.Point.WRITE);
    }
    delegate().write(bytes);
  }

  @Override
  public CompletableFuture<FragmentRecord> commitAsync(FragmentMetadata metadata) throws IOException {
    if (faults.firing(StorageFaults.Point.COMMIT)) {
      throw faults.failure(StorageFaults.Point.COMMIT);
    }
    if (durabilityFailure == null && faults.firing(StorageFaults.Point.DURABILITY)) {
      durabilityFailure = faults.failure(StorageFaults.Point.DURABILITY);
    }
    if (durabilityFailure != null) {
      // Not handed to the delegate: its bytes stay pending there and are dropped at close.
      IOException failure = durabilityFailure;
      CompletableFuture<FragmentRecord> failed = new CompletableFuture<>();
      CompletableFuture.delayedExecutor(DURABILITY_FAILURE_DELAY_MS, TimeUnit.MILLISECONDS)
          .execute(() -> failed.completeExceptionally(failure));
      return failed;
    }
    // Counted when sealed, not when durable, so that "fail after N commits" names the same fragment
    // however far durability lags behind.
    CompletableFuture<FragmentRecord> durable = delegate().commitAsync(metadata);
    faults.committed();
    return durable;
  }
}
