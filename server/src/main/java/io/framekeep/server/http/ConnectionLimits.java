package io.framekeep.server.http;

/**
 * How long a connection may sit in each phase of an exchange, how many connections may be open
 * at once, and how much of a JSON body a connection may make the server buffer before it has
 * shown a valid signature. These protect the server from clients that connect and then stall; a
 * client that behaves like an AWS SDK never meets them.
 *
 * @param requestHeadTimeoutMs time from a request's first byte (or from accepting the connection)
 *     until its head (request line and headers) is complete; a stalled head is closed
 * @param requestBodyIdleTimeoutMs longest silence inside a JSON request body; PutMedia bodies
 *     keep their own rule (IDLE acks, then the end after {@code ServiceLimits.putMediaIdleTimeoutMs})
 * @param keepAliveIdleTimeoutMs longest silence between the end of a response and the first byte
 *     of the next request on the same connection
 * @param maxConnections connections open at once; a connection over the cap is closed as soon as
 *     it is accepted, established ones are never dropped to make room
 * @param maxUnauthenticatedJsonBodyBytes the JSON body limit of a connection that has not yet
 *     sent a request with a valid signature (afterwards {@code ServiceLimits.maxJsonBodyBytes})
 */
public record ConnectionLimits(
    long requestHeadTimeoutMs,
    long requestBodyIdleTimeoutMs,
    long keepAliveIdleTimeoutMs,
    int maxConnections,
    int maxUnauthenticatedJsonBodyBytes) {
  /** A request head is a few KB: a client that needs longer than this to send one is stalling. */
  public static final long DEFAULT_REQUEST_HEAD_TIMEOUT_MS = 30_000;
  /** As long as AWS lets a PutMedia body be silent: no SDK pauses inside a JSON body at all. */
  public static final long DEFAULT_REQUEST_BODY_IDLE_TIMEOUT_MS = 30_000;
  /**
   * Longer than the idle time after which the AWS SDKs' HTTP clients retire a pooled connection
   * (60 s in the SDK for Java v2), so a client never reuses a connection the server has just
   * closed; the value nginx uses.
   */
  public static final long DEFAULT_KEEP_ALIVE_IDLE_TIMEOUT_MS = 75_000;
  /**
   * Far more than cameras and players a single server serves, well inside the usual limit of
   * open files (each connection is one descriptor; segment files need their own).
   */
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  /**
   * The largest JSON body any modelled operation needs (GetMediaForFragmentList with 1000
   * fragment numbers, about 135 KB) fits, so an SDK's first request on a connection is never
   * refused; a client without credentials cannot make the server hold more than this per
   * connection.
   */
  public static final int DEFAULT_MAX_UNAUTHENTICATED_JSON_BODY_BYTES = 256 * 1024;

  public ConnectionLimits {
    if (requestHeadTimeoutMs < 1 || requestBodyIdleTimeoutMs < 1 || keepAliveIdleTimeoutMs < 1) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    if (maxConnections < 1 || maxUnauthenticatedJsonBodyBytes < 0) {
      throw new IllegalArgumentException("maxConnections must be positive");
    }
  }

  public static ConnectionLimits defaults() {
    return new ConnectionLimits(DEFAULT_REQUEST_HEAD_TIMEOUT_MS,
        DEFAULT_REQUEST_BODY_IDLE_TIMEOUT_MS, DEFAULT_KEEP_ALIVE_IDLE_TIMEOUT_MS,
        DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_UNAUTHENTICATED_JSON_BODY_BYTES);
  }

  /** The same limits with other timeouts (tests use short ones). */
  public ConnectionLimits withTimeouts(long headMs, long bodyIdleMs, long keepAliveIdleMs) {
    return new ConnectionLimits(headMs, bodyIdleMs, keepAliveIdleMs, maxConnections,
        maxUnauthenticatedJsonBodyBytes);
  }

  public ConnectionLimits withMaxConnections(int connections) {
    return new ConnectionLimits(requestHeadTimeoutMs, requestBodyIdleTimeoutMs,
        keepAliveIdleTimeoutMs, connections, maxUnauthenticatedJsonBodyBytes);
  }
}
