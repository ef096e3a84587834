package io.framekeep.server.media;

import io.framekeep.api.FragmentNumbers;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.kvs.KvsChunkWriter;
import io.framekeep.media.kvs.StoredHeader;
import io.framekeep.storage.ByteRange;
import io.framekeep.storage.ByteSource;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prepares {@link Chunk}s of stored fragments: looks up and splits the fragment's session header
 * (cached, since consecutive fragments share it), writes the service tags, and opens the
 * fragment's stored bytes, waiting until they are local, so that a fragment reclaimed by retention
 * is noticed before anything of it is sent.
 *
 * <p>Blocking (storage reads); one instance per response, used by one thread at a time.
 */
final class ChunkReader {
  /**
   * Parsed headers kept per response. A PutMedia session has one header, so a response crosses a
   * new one only when the producer reconnected; a few cover every realistic read, and each is at
   * most {@link FragmentLog#MAX_HEADER_BYTES}.
   */
  private static final int CACHED_HEADERS = 4;

  private final FragmentLog log;
  private final Map<Long, StoredHeader> headers =
      new LinkedHashMap<>(CACHED_HEADERS * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, StoredHeader> eldest) {
          return size() > CACHED_HEADERS;
        }
      };

  ChunkReader(FragmentLog log) {
    this.log = log;
  }

  /**
   * The chunk of {@code fragment}.
   *
   * @param millisBehindNow the MILLIS_BEHIND_NOW tag value
   * @throws java.nio.file.NoSuchFileException if the fragment's bytes are gone (retention)
   * @throws MediaFormatException if its stored header cannot be split
   */
  Chunk read(FragmentRecord fragment, long millisBehindNow)
      throws IOException, MediaFormatException {
    StoredHeader header = header(fragment.headerId());
    String number = FragmentNumbers.format(fragment.sequence());
    ByteBuffer prefix = KvsChunkWriter.prefix(header, number, fragment.serverTimestampMs(),
        fragment.producerTimestampMs());
    ByteBuffer suffix = KvsChunkWriter.suffix(Math.max(0, millisBehindNow), number);
    ByteSource cluster = log.open(ByteRange.whole(fragment));
    try {
      cluster.awaitReady();
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return new Chunk(fragment.sequence(), prefix, cluster, suffix);
  }

  private StoredHeader header(long headerId) throws IOException, MediaFormatException {
    StoredHeader header = headers.get(headerId);
    if (header == null) {
      header = StoredHeader.parse(log.header(headerId));
      headers.put(headerId, header);
    }
    return header;
  }
}
