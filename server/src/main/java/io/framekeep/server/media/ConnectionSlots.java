package io.framekeep.server.media;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts open responses of one operation per stream and refuses the one beyond the limit, as KVS
 * does with the newest connection (spec §5.1): GetMedia with ConnectionLimitExceededException,
 * GetMediaForFragmentList with ClientLimitExceededException. Thread-safe.
 */
final class ConnectionSlots {
  /** AWS: 3 concurrent GetMedia connections per stream (hard quota). */
  static final int AWS_MAX_GET_MEDIA_CONNECTIONS = 3;
  /** AWS: 5 concurrent GetMediaForFragmentList connections per stream (soft quota). */
  static final int AWS_MAX_FRAGMENT_LIST_CONNECTIONS = 5;

  private final int maxPerStream;
  private final AwsError refusal;
  private final String operation;
  private final ConcurrentHashMap<Long, Integer> open = new ConcurrentHashMap<>();

  /**
   * @param refusal the error of the request beyond {@code maxPerStream}
   * @param operation the operation's AWS name, for the error message
   */
  ConnectionSlots(int maxPerStream, AwsError refusal, String operation) {
    this.maxPerStream = maxPerStream;
    this.refusal = refusal;
    this.operation = operation;
  }

  static ConnectionSlots getMedia(int maxPerStream) {
    return new ConnectionSlots(maxPerStream, AwsError.CONNECTION_LIMIT_EXCEEDED, "GetMedia");
  }

  /**
   * Takes a slot of {@code streamId}; run the returned handle exactly once to give it back.
   *
   * @throws ApiException the refusal error when all slots are taken
   */
  Runnable acquire(long streamId) {
    boolean[] granted = new boolean[1];
    open.compute(streamId, (id, n) -> {
      int count = n == null ? 0 : n;
      granted[0] = count < maxPerStream;
      return granted[0] ? count + 1 : n;
    });
    if (!granted[0]) {
      throw ApiException.of(refusal, "The stream already has " + maxPerStream + " "
          + operation + " connections open, the most allowed.");
    }
    boolean[] released = new boolean[1];
    return () -> {
      synchronized (released) {
        if (released[0]) {
          return;
        }
        released[0] = true;
      }
      open.computeIfPresent(streamId, (id, n) -> n <= 1 ? null : n - 1);
    };
  }

  /** Open responses on {@code streamId} now. */
  int openCount(long streamId) {
    return open.getOrDefault(streamId, 0);
  }
}
