package io.framekeep.storage;

import java.io.IOException;
import java.security.SecureRandom;

/**
 * One storage backend, opened: the stream catalogue and the fragment log. The server holds only this interface;
 * which backend runs is chosen once, where the server is composed ({@link EmbeddedStorage} today: files and
 * SQLite in one data directory; the cluster backend later: objects in S3-compatible storage and an index in
 * PostgreSQL).
 *
 * <p>Thread safety: {@link #catalog()} and {@link #fragments()} may be used from any number of threads.
 * {@link #close()} must be called after all appenders are closed and no other call is in flight; it finishes
 * the durability work already submitted (acked fragments stay acked).
 */
public interface Storage extends AutoCloseable {

  StreamCatalog catalog();

  FragmentLog fragments();

  /** Coverage of a stream over time (merged spans and per-bucket counts), computed from the index. */
  FragmentCoverage coverage();

  /**
   * A secret of {@code lengthBytes} random bytes named {@code name}, the same for every server that
   * opens this storage (created by the first to ask), so that a token one server signs (an HLS or
   * DASH session URL) is accepted by every other. Call once per name at start and keep the result.
   *
   * <p>This default is for a backend one process owns (the embedded one): a fresh random secret,
   * living as long as the process, so tokens end with a restart.
   *
   * @throws IOException if the shared store cannot be reached
   */
  default byte[] sharedSecret(String name, int lengthBytes) throws IOException {
    byte[] secret = new byte[lengthBytes];
    new SecureRandom().nextBytes(secret);
    return secret;
  }

  /**
   * Tells {@code listener} when fragments were committed to a stream by another server sharing
   * this storage, within a bounded delay (the backend's documentation says how long), so that
   * readers of the live edge here can look for them. Commits of this process are not reported (the
   * ingest path tells its readers itself). The listener runs on a backend thread and must only
   * hand the news off. Close the returned handle to stop.
   *
   * <p>This default is for a backend one process owns: there are no other servers, so it never
   * calls.
   */
  default AutoCloseable onRemoteCommits(RemoteCommitListener listener) {
    return () -> { };
  }

  /** See {@link #onRemoteCommits}. */
  @FunctionalInterface
  interface RemoteCommitListener {
    /** Fragments up to {@code lastSequence} of the stream are committed (and readable here). */
    void committed(long streamId, long lastSequence);
  }

  /**
   * Whether this backend can serve now (the server's {@code GET /health}). May block for a bounded time (a
   * few seconds at most) while it asks the engines it depends on, so call it off event loops; a backend may
   * answer from a result a second or two old.
   *
   * <p>This default is for a backend one process owns: if the process answers, it can serve.
   */
  default StorageHealth health() {
    return StorageHealth.OK;
  }

  /**
   * Counters of the backend's own work for the server's {@code /metrics} (the cluster backend: object
   * GETs, local cache hits and misses). Each only grows while the backend is open.
   *
   * <p>This default is for a backend with none.
   */
  default java.util.List<Counter> counters() {
    return java.util.List.of();
  }

  /**
   * One counter: {@code name} in dotted Micrometer form ({@code framekeep.cluster.object.gets}, exported as
   * {@code framekeep_cluster_object_gets_total}), read through {@code count} from any thread.
   */
  record Counter(String name, String description, java.util.function.LongSupplier count) {}

  @Override
  void close() throws IOException;
}
