package io.framekeep.server.http;

import java.nio.ByteBuffer;
import io.framekeep.storage.ByteSource;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Where a {@link StreamingBody} writes: one HTTP response of unknown length.
 *
 * <p>Threading: every method must be called from {@link #executor()} (the connection's event
 * loop), which runs tasks one at a time in submission order; a body keeps its state confined to
 * it and hops there from other threads. Nothing here blocks.
 *
 * <p>Back-pressure: writes are queued, not sent, until {@link #flush()}; its stage completes once
 * everything queued is on the socket. A body that waits for that stage before producing more holds
 * at most what it queued in between.
 *
 * <p>Failure: once the head is out, an error can only be reported inside the body (e.g. a KVS
 * error chunk) or by closing the connection ({@link #abort}).
 */
public interface StreamSink {
  /** The thread the sink must be used from. */
  Executor executor();

  /** Runs {@code task} on {@link #executor()} after {@code delayMs}; closing the handle cancels. */
  AutoCloseable schedule(Runnable task, long delayMs);

  /** Queues bytes; the sink owns the buffer from now on. */
  void write(ByteBuffer bytes);

  /**
   * Queues the bytes of a stored source, which must be ready ({@link ByteSource#ready()}); sent
   * zero-copy when storage keeps them in a file. The sink owns the source from now on and closes
   * it once sent, or when the response ends.
   */
  void writeStored(ByteSource source);

  /**
   * Sends everything queued. The stage completes when it is written to the socket, or
   * exceptionally if the connection failed or closed first.
   */
  CompletionStage<Void> flush();

  /** Ends the body normally (the terminating chunk). Later calls do nothing. */
  void end();

  /** Gives up on the response: the connection is closed, and {@code reason} logged. */
  void abort(String reason);

  /** Whether the response is still going (not ended, aborted, or disconnected). */
  boolean isOpen();

  /**
   * Runs {@code action} once on {@link #executor()} when the response is over for any reason: ended,
   * aborted, or the client disconnected. Runs it at once if that already happened.
   */
  void onClose(Runnable action);
}
