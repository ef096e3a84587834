package io.framekeep.server.memory;

import java.util.concurrent.CompletableFuture;

/**
 * What JSON request bodies may hold of the server's {@link MemoryBudget} while they are buffered
 * (before their signature can be checked and their operation run). Every body draws from the
 * whole budget; bodies on connections that have not yet shown a valid signature also draw from a
 * share of it, {@link #UNAUTHENTICATED_FRACTION}, so clients without credentials can hold only
 * that much in all, however many connections they open, and never crowd out uploads and
 * authenticated requests. When a charge finds no room, the connection stops reading until
 * {@link #whenAvailable} completes: TCP holds the rest of its body back, not the heap.
 *
 * <p>Thread-safe: each {@link MemoryBudget} is.
 */
public final class JsonBodyBudget {
  /**
   * An eighth of the budget (16 MiB of a -Xmx512m server's 128 MiB): 64 unauthenticated bodies
   * at the 256 KiB per-connection limit, or hundreds of SDK first requests (a few KB each) at once,
   * while seven eighths stay for what authenticated clients send.
   */
  public static final double UNAUTHENTICATED_FRACTION = 0.125;

  private final MemoryBudget shared;
  private final MemoryBudget unauthenticated;

  /** Bodies drawing from {@code shared}, unauthenticated ones also from their share of it. */
  public JsonBodyBudget(MemoryBudget shared) {
    this.shared = shared;
    this.unauthenticated = new MemoryBudget(
        Math.max(1, (long) (shared.limitBytes() * UNAUTHENTICATED_FRACTION)));
  }

  /** The most all unauthenticated bodies together may hold before their connections pause. */
  public long unauthenticatedLimitBytes() {
    return unauthenticated.limitBytes();
  }

  /** Bytes of unauthenticated bodies held now. */
  public long unauthenticatedUsedBytes() {
    return unauthenticated.usedBytes();
  }

  /**
   * Counts {@code bytes} of a body as held; returns whether its connection may read on (both the
   * whole budget and, for an unauthenticated body, the share still have room).
   */
  public boolean charge(long bytes, boolean authenticated) {
    boolean room = shared.charge(bytes);
    if (!authenticated) {
      room &= unauthenticated.charge(bytes);
    }
    return room;
  }

  /** Releases what {@link #charge} counted, with the same {@code authenticated}. */
  public void release(long bytes, boolean authenticated) {
    if (!authenticated) {
      unauthenticated.release(bytes);
    }
    shared.release(bytes);
  }

  /** Completes once a paused body's connection may read again (every budget it draws on). */
  public CompletableFuture<Void> whenAvailable(boolean authenticated) {
    return authenticated ? shared.whenAvailable()
        : CompletableFuture.allOf(shared.whenAvailable(), unauthenticated.whenAvailable());
  }
}
