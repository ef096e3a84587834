package io.framekeep.server.control;

import io.framekeep.server.StreamResolver;
import io.framekeep.storage.StreamCatalog;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * What the control-plane operations share: the catalogue, stream lookup, the identity written into
 * ARNs, the clock, and the server's own base URL (for GetDataEndpoint).
 */
public record ControlContext(
    StreamCatalog catalog,
    StreamResolver resolver,
    String region,
    String accountId,
    Clock clock,
    Supplier<String> baseUrl) {
  /** AWS's default soft limit of streams per account. */
  public static final int MAX_STREAMS = 10_000;
  /** AWS: at most 50 tags per stream. */
  public static final int MAX_TAGS_PER_STREAM = 50;
}
