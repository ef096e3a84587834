package io.framekeep.server.http;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/** What an operation answers; the router turns it into HTTP. */
public sealed interface Response permits Response.Json, Response.FileSlices, Response.Streaming {

  /** A JSON body (any object {@code io.framekeep.api.Json} can write), status 200. */
  record Json(Object body) implements Response {}

  /**
   * A binary body made of an in-memory prefix followed by slices of files, sent zero-copy (the
   * slices go from the page cache to the socket without entering the Java heap).
   *
   * @param contentType the Content-Type header
   * @param prefix bytes sent first (e.g. ftyp + moov + mdat header)
   * @param slices the rest of the body, in order
   * @param totalBytes prefix plus all slices: the Content-Length
   */
  record FileSlices(String contentType, ByteBuffer prefix, List<Slice> slices, long totalBytes)
      implements Response {}

  /**
   * A long-lived body of unknown length (GetMedia), sent with chunked transfer encoding. The router
   * writes the head (status 200, {@code contentType}) and then hands a {@link StreamSink} to
   * {@code body}, which writes, flushes with back-pressure, and finally ends or aborts.
   */
  record Streaming(String contentType, StreamingBody body) implements Response {}

  /**
   * {@code lengthBytes} bytes of {@code file} starting at {@code position}, sent as they are, or,
   * with {@code annexBToLengthPrefixed}, one H.264/H.265 frame whose start codes are rewritten as
   * 4-byte NAL lengths on the way out ({@code outputBytes} long).
   */
  record Slice(Path file, long position, long lengthBytes, boolean annexBToLengthPrefixed,
      long outputBytes) {
    /** A slice sent as it is. */
    public Slice(Path file, long position, long lengthBytes) {
      this(file, position, lengthBytes, false, lengthBytes);
    }
  }
}
