package io.framekeep.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final SerialExecutor executor = new SerialExecutor(pool);
  private final List<String> ran = java.util.Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void deferUntil_gateOpen_laterTasksWaitThenFirstRunsBeforeThem() throws Exception {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    executor.execute(() -> {
      ran.add("a");
      executor.deferUntil(gate, () -> ran.add("first"));
    });
    executor.execute(() -> ran.add("b"));
    executor.execute(() -> ran.add("c"));
    Thread.sleep(200);
    assertThat(ran).containsExactly("a");

    gate.complete(null);
    CompletableFuture<Void> done = new CompletableFuture<>();
    executor.execute(() -> done.complete(null));
    done.get(5, TimeUnit.SECONDS);

    assertThat(ran).containsExactly("a", "first", "b", "c");
  }

  @Test
  void deferUntil_gateAlreadyComplete_runsOnAtOnceInOrder() throws Exception {
    executor.execute(() -> {
      ran.add("a");
      executor.deferUntil(CompletableFuture.completedFuture(null), () -> ran.add("first"));
    });
    executor.execute(() -> ran.add("b"));
    CompletableFuture<Void> done = new CompletableFuture<>();
    executor.execute(() -> done.complete(null));
    done.get(5, TimeUnit.SECONDS);

    assertThat(ran).containsExactly("a", "first", "b");
  }

  @Test
  void deferUntil_waiting_holdsNoPoolThread() throws Exception {
    ExecutorService single = Executors.newSingleThreadExecutor();
    try {
      SerialExecutor a = new SerialExecutor(single);
      SerialExecutor b = new SerialExecutor(single);
      CompletableFuture<Void> gate = new CompletableFuture<>();
      a.execute(() -> a.deferUntil(gate, () -> ran.add("a resumed")));
      CompletableFuture<Void> bRan = new CompletableFuture<>();
      b.execute(() -> bRan.complete(null));

      bRan.get(5, TimeUnit.SECONDS); // the pool's one thread is free while a waits

      gate.complete(null);
      CompletableFuture<Void> aDone = new CompletableFuture<>();
      a.execute(() -> aDone.complete(null));
      aDone.get(5, TimeUnit.SECONDS);
      assertThat(ran).containsExactly("a resumed");
    } finally {
      single.shutdownNow();
    }
  }
}
