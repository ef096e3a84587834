package io.framekeep.storage.cluster;

import java.io.IOException;

/**
 * The node no longer owns the stream: another node took the lease over (after it expired, for example while
 * this node was paused or cut off), or the stream was released or deleted. Fragments carrying the old epoch are
 * refused and never become visible; the ingest session on this node must end.
 */
public final class LeaseLostException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long streamId;
  private final long epoch;

  LeaseLostException(long streamId, long epoch) {
    super("lease of stream " + streamId + " at epoch " + epoch + " was lost to another owner");
    this.streamId = streamId;
    this.epoch = epoch;
  }

  public long streamId() {
    return streamId;
  }

  public long epoch() {
    return epoch;
  }
}
