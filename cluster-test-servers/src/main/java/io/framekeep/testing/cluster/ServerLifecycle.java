package io.framekeep.testing.cluster;

import java.io.Closeable;
import java.io.IOException;

/**
 * What every test server fixture does around its process: a JVM exit hook that closes the server if a test
 * forgot to (or the run was interrupted), and closing a half-started server when its start fails.
 *
 * <p>Thread safety: {@link #removeExitHook()} may be called from any thread, including the hook's own.
 */
final class ServerLifecycle {

  /** One step of starting a server; may leave the server half started. */
  interface Startup<T> {
    void run(T server) throws IOException;
  }

  private final Thread exitHook;

  /** Registers a JVM shutdown hook that closes {@code server}, ignoring failures (the JVM is exiting). */
  ServerLifecycle(Closeable server) {
    this.exitHook = new Thread(() -> closeQuietly(server), "stop test server");
    Runtime.getRuntime().addShutdownHook(exitHook);
  }

  private static void closeQuietly(Closeable server) {
    try {
      server.close();
    } catch (IOException | RuntimeException e) {
      // the JVM is exiting; nothing left to tell
    }
  }

  /** Unregisters the exit hook; no-op when called from the hook itself or once the JVM is already exiting. */
  void removeExitHook() {
    if (Thread.currentThread() == exitHook) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(exitHook);
    } catch (IllegalStateException alreadyExiting) {
      // the hook runs or ran
    }
  }

  /**
   * Runs {@code startup} on {@code server} and returns the server; if it fails, closes the server (its failure
   * added as suppressed) and rethrows, so that no process or temporary directory outlives a failed start.
   */
  static <T extends Closeable> T startOrClose(T server, Startup<T> startup) throws IOException {
    try {
      startup.run(server);
      return server;
    } catch (IOException | RuntimeException | Error e) {
      try {
        server.close();
      } catch (IOException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }
}
