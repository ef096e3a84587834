package io.framekeep.server.media;

import io.framekeep.server.http.StreamSink;
import io.framekeep.storage.ByteSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link StreamSink} without a network: one thread plays the event loop, the body is collected
 * in memory (file slices are read into it), and flushes complete at once.
 */
final class RecordingSink implements StreamSink, AutoCloseable {
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private final List<Runnable> closeActions = new ArrayList<>();
  final CountDownLatch over = new CountDownLatch(1);
  volatile boolean ended;
  volatile boolean aborted;
  private boolean open = true;
  private boolean finished;

  @Override
  public Executor executor() {
    return loop;
  }

  @Override
  public AutoCloseable schedule(Runnable task, long delayMs) {
    ScheduledFuture<?> f = loop.schedule(task, delayMs, TimeUnit.MILLISECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void write(ByteBuffer bytes) {
    byte[] copy = new byte[bytes.remaining()];
    bytes.get(copy);
    body.writeBytes(copy);
  }

  @Override
  public void writeStored(ByteSource source) {
    try (source) {
      ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(source.lengthBytes()));
      source.read(0, buf);
      body.writeBytes(buf.array());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public CompletionStage<Void> flush() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void end() {
    if (open) {
      ended = true;
      finish();
    }
  }

  @Override
  public void abort(String reason) {
    if (open) {
      aborted = true;
      finish();
    }
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void onClose(Runnable action) {
    if (finished) {
      action.run();
    } else {
      closeActions.add(action);
    }
  }

  /** Simulates the client going away. */
  void disconnect() {
    loop.execute(() -> {
      if (open) {
        finish();
      }
    });
  }

  private void finish() {
    open = false;
    finished = true;
    closeActions.forEach(Runnable::run);
    over.countDown();
  }

  byte[] body() {
    return body.toByteArray();
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
