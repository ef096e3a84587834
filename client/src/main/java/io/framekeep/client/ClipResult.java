package io.framekeep.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * A GetClip answer: the MP4 bytes as a stream straight from the connection, and the response's
 * content type (e.g. {@code video/mp4}). The caller must close it; not thread-safe.
 */
public record ClipResult(String contentType, InputStream payload) implements Closeable {
  @Override
  public void close() throws IOException {
    payload.close();
  }
}
