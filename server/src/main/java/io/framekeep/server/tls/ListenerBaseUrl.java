package io.framekeep.server.tls;

import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The base URL of the listener a request came in on, so that GetDataEndpoint and the HLS/DASH
 * session URLs send a client back the way it came: an HTTPS client gets an {@code https://} URL
 * with the HTTPS port, a plain client the plain one. Operations run on the blocking pool; each
 * listener hands its connections {@link #executor} instead of the pool itself, which marks the
 * worker thread with the listener's URL for the duration of the task, and {@link #supplier}
 * reads that mark. Thread-safe.
 */
public final class ListenerBaseUrl {
  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private ListenerBaseUrl() {}

  /** Runs tasks on {@code pool} with {@code baseUrl} as the current listener's URL. */
  public static Executor executor(Executor pool, Supplier<String> baseUrl) {
    return task -> pool.execute(() -> {
      String previous = CURRENT.get();
      CURRENT.set(baseUrl.get());
      try {
        task.run();
      } finally {
        CURRENT.set(previous);
      }
    });
  }

  /** The current listener's URL, or {@code fallback}'s outside a listener's task. */
  public static Supplier<String> supplier(Supplier<String> fallback) {
    return () -> {
      String url = CURRENT.get();
      return url != null ? url : fallback.get();
    };
  }
}
