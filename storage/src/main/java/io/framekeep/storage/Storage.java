package io.framekeep.storage;

import java.io.IOException;

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

  @Override
  void close() throws IOException;
}
