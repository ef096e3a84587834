package io.framekeep.server.warmup;

import io.framekeep.server.FramekeepServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms the whole request path of a just-started server: a {@link ScratchServer} (the same code,
 * a temporary directory, loopback) is driven over real sockets by a few concurrent clients doing
 * signed PutMedia uploads of a built-in MKV, then rounds of DescribeStream, ListFragments,
 * GetClip, GetMedia and HLS; then it is stopped and its directory deleted. The JIT compiles, and
 * the JVM loads and initialises, what the first real producers and viewers would otherwise wait
 * for (HTTP decoding, SigV4, Matroska parsing, frame inspection, segment and index writes, group
 * commit, acks, clip and playlist building).
 *
 * <p>It runs after the real server listens, so start-up to listening is not lengthened, and it
 * gives way to real clients: once the real server has had a request other than {@code GET
 * /health} ({@link FramekeepServer#hasServedRequests()}), each warm-up thread stops before its
 * next request, so the warm-up never competes with clients for long (their own requests warm
 * the path from then on). It never touches the real data directory and never fails the server:
 * an error ends the warm-up with one WARN line.
 *
 * <p>Once per JVM (compiled code is shared by every server in it). Turned off by the system
 * property {@code framekeep.warmUp=false} or {@code serve --no-warm-up}. Threads are named
 * {@code framekeep-warm-up*} (the scratch server's too), so a logging filter can keep their
 * lines out of the server's log; the one summary line comes from this class's logger.
 * Thread-safe.
 */
public final class ServerWarmUp {
  /** System property: {@code false} turns the warm-up off. */
  public static final String ENABLED_PROPERTY = "framekeep.warmUp";
  /** Every warm-up thread's name, and the scratch server's, starts with this. */
  public static final String THREAD_NAME_PREFIX = "framekeep-warm-up";

  private static final Logger LOG = LoggerFactory.getLogger(ServerWarmUp.class);
  private static final AtomicBoolean STARTED = new AtomicBoolean();
  /**
   * How long a JVM exiting during the warm-up waits for it to stop and remove its scratch
   * directory: a request in flight plus the scratch server's close.
   */
  private static final long EXIT_WAIT_SECONDS = 5;

  /**
   * How much the warm-up does.
   *
   * @param clients concurrent clients, each with a stream of its own
   * @param uploadsPerClient PutMedia uploads per client
   * @param readRoundsPerClient read rounds per client after its uploads
   */
  record Plan(int clients, int uploadsPerClient, int readRoundsPerClient) {
    /**
     * 4 × 25 uploads (300 fragments, 14 MB) and 4 × 10 read rounds: enough for the per-byte and
     * per-frame loops to reach C2 and the per-request code C1 (its 200-call threshold); about
     * 4.5 s of CPU on a cold JVM, most of it the JIT compiling (BENCHMARKS.md, start-up warm-up).
     */
    static final Plan DEFAULT = new Plan(4, 25, 10);
  }

  /**
   * What a warm-up did.
   *
   * @param stoppedEarly real clients arrived (or a client failed) before the plan was done
   * @param scratchPort the scratch server's port, closed by now (-1: none was started)
   * @param scratchDirectory the scratch directory, deleted by now (null: none was made)
   */
  public record Report(int uploads, int readRounds, long elapsedMs, boolean stoppedEarly,
      int scratchPort, Path scratchDirectory) {}

  private ServerWarmUp() {}

  /** False when turned off by {@value #ENABLED_PROPERTY}{@code =false}. */
  public static boolean enabledByProperty() {
    return !"false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true").trim());
  }

  /**
   * Starts the warm-up for {@code realServer} on a background thread and returns at once; empty
   * when turned off or already started in this JVM. The future completes with the report, or
   * exceptionally if the warm-up failed (already logged; the real server is unaffected).
   */
  public static Optional<CompletableFuture<Report>> startInBackground(FramekeepServer realServer) {
    if (!enabledByProperty() || !STARTED.compareAndSet(false, true)) {
      return Optional.empty();
    }
    CompletableFuture<Report> result = new CompletableFuture<>();
    Path scratchParent = Path.of(System.getProperty("java.io.tmpdir"));
    // A JVM exiting during the warm-up stops it and lets it remove its scratch directory.
    AtomicBoolean exiting = new AtomicBoolean();
    Thread onExit = new Thread(() -> {
      exiting.set(true);
      try {
        result.get(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException | ExecutionException | TimeoutException e) {
        // exiting anyway; a directory left behind is removed at the next start
      }
    }, THREAD_NAME_PREFIX + "-exit");
    Runtime.getRuntime().addShutdownHook(onExit);
    result.whenComplete((r, e) -> {
      try {
        Runtime.getRuntime().removeShutdownHook(onExit);
      } catch (IllegalStateException alreadyExiting) {
        // the hook is running or has run
      }
    });
    Thread t = new Thread(() -> {
      try {
        Report r = run(scratchParent, WarmUpMedia.builtIn(), Plan.DEFAULT,
            () -> exiting.get() || realServer.hasServedRequests());
        LOG.info("warm-up: {} uploads and {} read rounds on a scratch server in {} ms{}",
            r.uploads(), r.readRounds(), r.elapsedMs(),
            r.stoppedEarly() ? " (stopped early: clients arrived)" : "");
        result.complete(r);
      } catch (IOException | RuntimeException e) {
        LOG.warn("warm-up failed (serving is not affected): {}", e.toString());
        result.completeExceptionally(e);
      } catch (InterruptedException e) {
        result.completeExceptionally(e);
      }
    }, THREAD_NAME_PREFIX);
    t.setDaemon(true);
    t.start();
    return Optional.of(result);
  }

  /**
   * Runs a warm-up on the calling thread: a scratch server under {@code scratchParent}, the plan's
   * clients on threads of their own, then the server stopped and its directory removed (also on
   * failure). {@code stop} is polled before every upload and read round.
   *
   * @throws IOException if the scratch server cannot start or a request fails
   */
  static Report run(Path scratchParent, WarmUpMedia media, Plan plan, BooleanSupplier stop)
      throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    if (stop.getAsBoolean()) {
      return new Report(0, 0, 0, true, -1, null);
    }
    AtomicInteger uploads = new AtomicInteger();
    AtomicInteger rounds = new AtomicInteger();
    AtomicBoolean stopped = new AtomicBoolean();
    BooleanSupplier stopNow = () -> {
      if (stop.getAsBoolean()) {
        stopped.set(true);
      }
      return stopped.get();
    };
    AtomicInteger threadNumber = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(plan.clients(), r -> {
      Thread t = new Thread(r, THREAD_NAME_PREFIX + "-client-" + threadNumber.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    int port;
    Path dir;
    try (ScratchServer scratch = ScratchServer.start(scratchParent, THREAD_NAME_PREFIX)) {
      port = scratch.port();
      dir = scratch.directory();
      WarmUpWorkload workload = new WarmUpWorkload(media);
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < plan.clients(); c++) {
        String stream = "warm-up-" + c;
        futures.add(clients.submit(() -> {
          try (WarmUpClient client = new WarmUpClient(scratch.port(), scratch.signer())) {
            int uploaded = workload.upload(client, stream, plan.uploadsPerClient(), stopNow);
            uploads.addAndGet(uploaded);
            for (int r = 0; r < plan.readRoundsPerClient() && uploaded > 0
                && !stopNow.getAsBoolean(); r++) {
              workload.readRound(client, stream, uploaded, r);
              rounds.incrementAndGet();
            }
          }
          return null;
        }));
      }
      awaitAll(futures, stopped);
    } finally {
      clients.shutdownNow();
    }
    return new Report(uploads.get(), rounds.get(), (System.nanoTime() - t0) / 1_000_000,
        stopped.get(), port, dir);
  }

  /** Waits for every client; on the first failure tells the others to stop and rethrows it. */
  private static void awaitAll(List<Future<?>> futures, AtomicBoolean stopped)
      throws IOException, InterruptedException {
    IOException failure = null;
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        stopped.set(true);
        if (failure == null) {
          failure = e.getCause() instanceof IOException io ? io
              : new IOException("warm-up client failed", e.getCause());
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
