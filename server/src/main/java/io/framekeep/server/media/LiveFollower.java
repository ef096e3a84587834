package io.framekeep.server.media;

import io.framekeep.api.FragmentNumbers;
import io.framekeep.server.http.StreamSink;
import io.framekeep.server.http.StreamingBody;
import io.framekeep.server.ingest.FragmentEvents;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of one GetMedia response: sends the chunks of the stream in sequence order from a start
 * sequence, through the archive and then along the live edge, until the client leaves or no new
 * fragment arrives for the idle timeout.
 *
 * <p>Loop: look the next sequence up and prepare its chunk on a worker thread, send it, wait for it
 * to reach the socket (back-pressure: one chunk in flight, its Cluster bytes zero-copy), repeat.
 * When the next sequence does not exist yet the loop stops and {@link FragmentEvents} restarts it
 * when the ingest path persists a fragment — no polling. If the next sequence was deleted by
 * retention while the reader lagged, the loop jumps to the oldest fragment still stored.
 *
 * <p>Pace: at most 5 fragments per second, as AWS ({@link FragmentPacer}), unless the server runs
 * without quotas.
 *
 * <p>Errors after the head: a fragment whose segment vanished is skipped; any other failure sends
 * a KVS error chunk (ERROR_ID 5000) and ends the response. The connection slot is given back when
 * the response is over, however it ends.
 *
 * <p>Threading: all state is confined to the sink's event loop; storage is touched only on the
 * worker executor, one request at a time.
 */
final class LiveFollower implements StreamingBody {
  private static final Logger LOG = LoggerFactory.getLogger(LiveFollower.class);

  private final long streamId;
  private final FragmentLog log;
  private final StreamPositions positions;
  private final ChunkReader reader;
  private final FragmentEvents events;
  private final Executor workers;
  private final long idleTimeoutMs;
  private final Runnable releaseSlot;
  private final FragmentPacer pacer;

  private StreamSink sink;
  private long nextSequence;
  private long newestServerMs;
  /** A lookup or a send is in progress. */
  private boolean busy;
  /** A fragment was persisted while busy: look again once done. */
  private boolean wakePending;
  private boolean closed;
  private AutoCloseable subscription;
  private AutoCloseable idleTimer;

  LiveFollower(long streamId, long firstSequence, long newestServerMs, FragmentLog log,
      StreamPositions positions, FragmentEvents events, Executor workers, long idleTimeoutMs,
      FragmentPacer pacer, Runnable releaseSlot) {
    this.pacer = pacer;
    this.streamId = streamId;
    this.nextSequence = firstSequence;
    this.newestServerMs = newestServerMs;
    this.log = log;
    this.positions = positions;
    this.reader = new ChunkReader(log);
    this.events = events;
    this.workers = workers;
    this.idleTimeoutMs = idleTimeoutMs;
    this.releaseSlot = releaseSlot;
  }

  @Override
  public void start(StreamSink streamSink) {
    this.sink = streamSink;
    sink.onClose(this::close);
    if (closed) {
      return;
    }
    // Subscribe before the first lookup, so a fragment persisted in between is not missed.
    subscription = events.subscribe(streamId, this::onPersistedAnyThread);
    armIdleTimer();
    pump();
  }

  /** Called on the ingest thread: only hands the record over to the event loop. */
  private void onPersistedAnyThread(FragmentRecord record) {
    try {
      sink.executor().execute(() -> onPersisted(record));
    } catch (RejectedExecutionException e) {
      // The connection's event loop is shutting down; the response is ending anyway.
    }
  }

  private void onPersisted(FragmentRecord record) {
    if (closed) {
      return;
    }
    newestServerMs = Math.max(newestServerMs, record.serverTimestampMs());
    if (busy) {
      wakePending = true;
    } else {
      pump();
    }
  }

  private void pump() {
    if (closed || busy) {
      return;
    }
    busy = true;
    wakePending = false;
    long wanted = nextSequence;
    long newest = newestServerMs;
    try {
      workers.execute(() -> {
        ChunkFetch result = fetch(wanted, newest);
        try {
          sink.executor().execute(() -> onFetched(result));
        } catch (RejectedExecutionException e) {
          result.discard();
        }
      });
    } catch (RejectedExecutionException e) {
      busy = false;
      sink.abort("the server is shutting down");
    }
  }

  /** Worker thread: the chunk of {@code wanted}, or of the oldest fragment if it was deleted. */
  private ChunkFetch fetch(long wanted, long newest) {
    Optional<FragmentRecord> fragment;
    try {
      fragment = log.bySequence(streamId, wanted);
      if (fragment.isEmpty()) {
        fragment = positions.earliest(streamId).filter(oldest -> oldest.sequence() > wanted);
      }
    } catch (RuntimeException e) {
      LOG.error("GetMedia lookup of stream {} sequence {} failed", streamId, wanted, e);
      return new ChunkFetch.Failed(FragmentNumbers.format(wanted), e);
    }
    return fragment.isEmpty() ? new ChunkFetch.Nothing()
        : ChunkFetch.read(reader, fragment.get(), newest);
  }

  private void onFetched(ChunkFetch result) {
    busy = false;
    if (closed) {
      result.discard();
      return;
    }
    if (result instanceof ChunkFetch.Ready ready) {
      long waitMs = pacer.reserve();
      if (waitMs == 0) {
        send(ready.chunk());
      } else {
        // AWS's 5 fragments per second: the chunk waits, and nothing else starts meanwhile.
        busy = true;
        sink.schedule(() -> {
          if (closed) {
            ready.chunk().discard();
          } else {
            send(ready.chunk());
          }
        }, waitMs);
      }
    } else if (result instanceof ChunkFetch.Vanished vanished) {
      LOG.debug("GetMedia skips fragment {} of stream {}: reclaimed while being read",
          vanished.fragment().sequence(), streamId);
      nextSequence = vanished.fragment().sequence() + 1;
      pump();
    } else if (result instanceof ChunkFetch.Failed failed) {
      LOG.error("GetMedia of stream {} failed at sequence {}", streamId, nextSequence,
          failed.cause());
      sink.write(ChunkFetch.internalErrorChunk(failed.fragmentNumber()));
      sink.flush();
      sink.end();
    } else if (wakePending) {
      pump();
    }
  }

  private void send(Chunk chunk) {
    busy = true;
    nextSequence = chunk.sequence() + 1;
    chunk.writeTo(sink);
    armIdleTimer();
    sink.flush().whenComplete((ok, failure) -> sink.executor().execute(() -> {
      busy = false;
      if (failure == null) {
        pump();
      }
    }));
  }

  private void armIdleTimer() {
    cancelIdleTimer();
    idleTimer = sink.schedule(this::onIdle, idleTimeoutMs);
  }

  private void onIdle() {
    if (closed) {
      return;
    }
    if (busy) {
      armIdleTimer();
      return;
    }
    LOG.debug("GetMedia of stream {} ends: no new fragment for {} ms", streamId, idleTimeoutMs);
    sink.end();
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    cancelIdleTimer();
    if (subscription != null) {
      try {
        subscription.close();
      } catch (Exception e) {
        LOG.debug("unsubscribing GetMedia of stream {} failed", streamId, e);
      }
    }
    releaseSlot.run();
  }

  private void cancelIdleTimer() {
    if (idleTimer != null) {
      try {
        idleTimer.close();
      } catch (Exception e) {
        LOG.debug("cancelling an idle timer failed", e);
      }
      idleTimer = null;
    }
  }
}
