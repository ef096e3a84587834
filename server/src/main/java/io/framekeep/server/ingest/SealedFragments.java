package io.framekeep.server.ingest;

import io.framekeep.storage.FragmentRecord;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * The fragments of one PutMedia session that are sealed (handed to storage) but not yet acked
 * PERSISTED, oldest first. Storage settles them in seal order; {@link #ackSettled} takes those
 * settled from the front, so PERSISTED acks go out in fragment order however durability lags.
 *
 * <p>Threading: confined to the session's serial executor, except {@link #awaitingDurability},
 * which the event loop reads (the idle rule does not count time in which one is awaited).
 */
final class SealedFragments {
  /** A sealed fragment, with what its acks name, and its durability. */
  record Sealed(long timecode, String fragmentNumber, CompletableFuture<FragmentRecord> durable) {
    /** Why storage failed it (it must have failed). */
    Throwable failure() {
      return durable.handle((r, e) -> e instanceof CompletionException c ? c.getCause() : e)
          .join();
    }
  }

  private final ArrayDeque<Sealed> sealed = new ArrayDeque<>();
  /** Runs when the last fragment awaited is settled: the wait was the server's, not the producer's. */
  private final Runnable onNoneAwaited;
  private volatile boolean awaitingDurability;

  SealedFragments(Runnable onNoneAwaited) {
    this.onNoneAwaited = onNoneAwaited;
  }

  void add(long timecode, String fragmentNumber, CompletableFuture<FragmentRecord> durable) {
    sealed.add(new Sealed(timecode, fragmentNumber, durable));
    changed();
  }

  /**
   * Hands {@code persisted} every fragment, in order, whose durability is settled, stopping at the
   * first that failed, which it removes and returns (null if none).
   */
  Sealed ackSettled(BiConsumer<Sealed, FragmentRecord> persisted) {
    try {
      while (!sealed.isEmpty() && sealed.peek().durable().isDone()) {
        Sealed next = sealed.poll();
        FragmentRecord record;
        try {
          record = next.durable().join();
        } catch (CompletionException | CancellationException e) {
          return next;
        }
        persisted.accept(next, record);
      }
      return null;
    } finally {
      changed();
    }
  }

  /** Completes when the oldest fragment is settled; never while there is none. */
  CompletableFuture<?> oldest() {
    Sealed oldest = sealed.peek();
    return oldest == null ? new CompletableFuture<>() : oldest.durable();
  }

  boolean isEmpty() {
    return sealed.isEmpty();
  }

  /** Removes and returns every fragment left (none is acked any more by this session). */
  List<Sealed> clear() {
    List<Sealed> left = List.copyOf(sealed);
    sealed.clear();
    changed();
    return left;
  }

  /** Whether a fragment awaits durability; read on the event loop. */
  boolean awaitingDurability() {
    return awaitingDurability;
  }

  private void changed() {
    boolean awaiting = !sealed.isEmpty();
    if (awaitingDurability && !awaiting) {
      onNoneAwaited.run();
    }
    awaitingDurability = awaiting;
  }
}
