package io.framekeep.server.media;

import io.framekeep.server.http.StreamSink;
import io.framekeep.server.http.StreamingBody;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of a GetMediaForFragmentList response: one chunk per requested fragment, in request
 * order, then the end of the body. Same loop as {@link LiveFollower} without the live edge:
 * prepare a chunk on a worker, send it, wait until it is on the socket, next.
 *
 * <p>A fragment reclaimed by retention after the request was checked gets an error chunk
 * (ERROR_ID 4000) in its place and the list goes on; any other failure sends an error chunk
 * (5000) and ends the body. Threading as in {@link LiveFollower}.
 */
final class FragmentListBody implements StreamingBody {
  private static final Logger LOG = LoggerFactory.getLogger(FragmentListBody.class);

  private final List<FragmentRecord> fragments;
  private final long newestServerMs;
  private final ChunkReader reader;
  private final Executor workers;
  private final Runnable releaseSlot;

  private StreamSink sink;
  private int next;
  private boolean closed;

  /** @param releaseSlot run once when the response ends, however it ends */
  FragmentListBody(List<FragmentRecord> fragments, long newestServerMs, FragmentLog log,
      Executor workers, Runnable releaseSlot) {
    this.releaseSlot = releaseSlot;
    this.fragments = fragments;
    this.newestServerMs = newestServerMs;
    this.reader = new ChunkReader(log);
    this.workers = workers;
  }

  @Override
  public void start(StreamSink streamSink) {
    this.sink = streamSink;
    sink.onClose(() -> {
      closed = true;
      releaseSlot.run();
    });
    pump();
  }

  private void pump() {
    if (closed) {
      return;
    }
    if (next == fragments.size()) {
      sink.end();
      return;
    }
    FragmentRecord fragment = fragments.get(next++);
    try {
      workers.execute(() -> {
        ChunkFetch result = ChunkFetch.read(reader, fragment, newestServerMs);
        try {
          sink.executor().execute(() -> onFetched(result));
        } catch (RejectedExecutionException e) {
          result.discard();
        }
      });
    } catch (RejectedExecutionException e) {
      sink.abort("the server is shutting down");
    }
  }

  private void onFetched(ChunkFetch result) {
    if (closed) {
      result.discard();
      return;
    }
    if (result instanceof ChunkFetch.Ready ready) {
      ready.chunk().writeTo(sink);
    } else if (result instanceof ChunkFetch.Vanished vanished) {
      sink.write(ChunkFetch.notFoundChunk(vanished.fragment()));
    } else if (result instanceof ChunkFetch.Failed failed) {
      LOG.error("GetMediaForFragmentList failed at fragment {}", failed.fragmentNumber(),
          failed.cause());
      sink.write(ChunkFetch.internalErrorChunk(failed.fragmentNumber()));
      sink.flush();
      sink.end();
      return;
    }
    sink.flush().whenComplete((ok, failure) -> sink.executor().execute(() -> {
      if (failure == null) {
        pump();
      }
    }));
  }
}
