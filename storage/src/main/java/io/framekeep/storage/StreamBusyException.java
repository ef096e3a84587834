package io.framekeep.storage;

import java.io.IOException;

/**
 * {@link FragmentLog#openAppender} was called for a stream that already has an open appender. KVS allows one
 * PutMedia connection per stream; the server maps this to its connection-limit error.
 */
public final class StreamBusyException extends IOException {
  private static final long serialVersionUID = 1L;

  public StreamBusyException(long streamId) {
    super("stream " + streamId + " already has an open appender");
  }
}
