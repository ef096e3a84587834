package io.framekeep.server.http;

import io.framekeep.storage.ByteRange;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.RangeReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/** What an operation answers; the router turns it into HTTP. */
public sealed interface Response permits Response.Json, Response.FileSlices, Response.Streaming {

  /** A JSON body (any object {@code io.framekeep.api.Json} can write), status 200. */
  record Json(Object body) implements Response {}

  /**
   * A binary body made of an in-memory prefix followed by slices of stored fragments, read through
   * {@code bytes} and sent zero-copy when storage keeps them in files (the slices go from the page
   * cache to the socket without entering the Java heap).
   *
   * <p>Ownership: the response owns {@code bytes}, which was opened on exactly the slices' ranges in
   * their order; the router closes it once the body is written or has failed.
   *
   * @param contentType the Content-Type header
   * @param prefix bytes sent first (e.g. ftyp + moov + mdat header)
   * @param slices the rest of the body, in order
   * @param bytes the stored bytes of the slices
   * @param totalBytes prefix plus all slices: the Content-Length
   */
  record FileSlices(String contentType, ByteBuffer prefix, List<Slice> slices, RangeReader bytes,
      long totalBytes) implements Response {

    /** Opens the slices' bytes in {@code log} (on the calling, blocking-allowed thread). */
    public static FileSlices open(String contentType, ByteBuffer prefix, List<Slice> slices,
        long totalBytes, FragmentLog log) throws IOException {
      List<ByteRange> ranges = slices.stream().map(Slice::range).toList();
      return new FileSlices(contentType, prefix, slices, log.openRanges(ranges), totalBytes);
    }

    /** A body held entirely in memory. */
    public static FileSlices inMemory(String contentType, ByteBuffer body) {
      return new FileSlices(contentType, body, List.of(), RangeReader.empty(), body.remaining());
    }
  }

  /**
   * A long-lived body of unknown length (GetMedia), sent with chunked transfer encoding. The router
   * writes the head (status 200, {@code contentType}) and then hands a {@link StreamSink} to
   * {@code body}, which writes, flushes with back-pressure, and finally ends or aborts.
   */
  record Streaming(String contentType, StreamingBody body) implements Response {}

  /**
   * The bytes of {@code range}, sent as they are, or, with {@code annexBToLengthPrefixed}, one
   * H.264/H.265 frame whose start codes are rewritten as 4-byte NAL lengths on the way out
   * ({@code outputBytes} long).
   */
  record Slice(ByteRange range, boolean annexBToLengthPrefixed, long outputBytes) {
    /** A slice sent as it is. */
    public Slice(ByteRange range) {
      this(range, false, range.lengthBytes());
    }
  }
}
