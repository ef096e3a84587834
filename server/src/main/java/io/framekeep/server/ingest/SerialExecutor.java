package io.framekeep.server.ingest;

import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: each ingest session gets one so
 * that its parsing, file writes and fsyncs happen in order without a dedicated thread. A running
 * task may {@linkplain #deferUntil defer} the rest of the queue until something completes, without
 * holding a pool thread meanwhile. Thread-safe.
 */
final class SerialExecutor implements Executor {
  private final Executor pool;
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private boolean running;
  /** Set by {@link #deferUntil} from the running task; taken by the drain loop after it. */
  private CompletionStage<?> gate;
  private Runnable afterGate;

  SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public void execute(Runnable task) {
    synchronized (tasks) {
      tasks.add(task);
      if (running) {
        return;
      }
      running = true;
    }
    pool.execute(this::drain);
  }

  /**
   * Called from a task of this executor: once that task returns, nothing more runs until {@code
   * until} completes (normally or not); then {@code first} runs, before the tasks queued meanwhile.
   */
  void deferUntil(CompletionStage<?> until, Runnable first) {
    synchronized (tasks) {
      gate = until;
      afterGate = first;
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (tasks) {
        if (gate != null) {
          CompletionStage<?> waitFor = gate;
          Runnable first = afterGate;
          gate = null;
          afterGate = null;
          // Still "running": tasks submitted meanwhile queue up behind the gate.
          waitFor.whenComplete((result, failure) -> {
            synchronized (tasks) {
              tasks.addFirst(first);
            }
            pool.execute(this::drain);
          });
          return;
        }
        next = tasks.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      next.run();
    }
  }
}
