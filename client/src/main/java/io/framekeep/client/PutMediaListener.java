package io.framekeep.client;

/**
 * Receives the progress of one PutMedia upload. Called from the upload's ack-reader thread
 * ({@link #onAck}) and from the calling thread ({@link #onBytesSent}); implementations must be
 * thread-safe and quick.
 */
public interface PutMediaListener {
  PutMediaListener NONE = new PutMediaListener() {};

  /** Every ack in arrival order, IDLE included. */
  default void onAck(AckEvent ack) {}

  /** After each body chunk is written; {@code totalBytes} counts Matroska bytes sent so far. */
  default void onBytesSent(long totalBytes) {}
}
