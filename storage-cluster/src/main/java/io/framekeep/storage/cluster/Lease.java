package io.framekeep.storage.cluster;

/**
 * A node's ownership of one stream for ingest, as granted by {@link StreamLeases}.
 *
 * @param streamId the stream
 * @param ownerNode the node holding it
 * @param epoch fencing token: grows by one at every grant, so a commit carrying an older epoch is refused
 * @param expiresAtMs when another node may take the stream over unless renewed (epoch milliseconds, node clock)
 * @param lastSequence the stream's last committed fragment number at the time of the grant; the holder numbers
 *     its fragments from {@code lastSequence + 1}
 */
public record Lease(long streamId, String ownerNode, long epoch, long expiresAtMs, long lastSequence) {

  Lease renewedUntil(long newExpiresAtMs) {
    return new Lease(streamId, ownerNode, epoch, newExpiresAtMs, lastSequence);
  }
}
