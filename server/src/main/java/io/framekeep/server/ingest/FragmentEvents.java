package io.framekeep.server.ingest;

import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * Tells readers of the live edge (GetMedia, live HLS/DASH) that a fragment was persisted.
 * Listeners are called on the ingest thread right after the PERSISTED commit, or for a fragment
 * another server of a cluster persisted on the thread that learnt of it
 * ({@link #committedElsewhere}), so they must only hand the record off (wake a waiting reader),
 * never block. Thread-safe.
 */
public final class FragmentEvents {
  private final ConcurrentHashMap<Long, Set<Consumer<FragmentRecord>>> listeners =
      new ConcurrentHashMap<>();

  /** Registers a listener for one stream; close the returned handle to unregister. */
  public AutoCloseable subscribe(long streamId, Consumer<FragmentRecord> listener) {
    listeners.computeIfAbsent(streamId, id -> new CopyOnWriteArraySet<>()).add(listener);
    return () -> {
      Set<Consumer<FragmentRecord>> set = listeners.get(streamId);
      if (set != null) {
        set.remove(listener);
      }
    };
  }

  /**
   * Another server sharing the storage committed fragments of the stream up to
   * {@code lastSequence}: if a reader here listens, looks that fragment up in {@code log} and
   * tells the stream's listeners as for a local commit. Blocks on the lookup: call on a worker.
   */
  public void committedElsewhere(long streamId, long lastSequence, FragmentLog log) {
    Set<Consumer<FragmentRecord>> set = listeners.get(streamId);
    if (set == null || set.isEmpty()) {
      return;
    }
    log.bySequence(streamId, lastSequence).ifPresent(this::persisted);
  }

  void persisted(FragmentRecord record) {
    Set<Consumer<FragmentRecord>> set = listeners.get(record.streamId());
    if (set != null) {
      for (Consumer<FragmentRecord> l : set) {
        l.accept(record);
      }
    }
  }
}
