package io.framekeep.server.media;

import io.framekeep.server.http.StreamSink;
import io.framekeep.storage.ByteSource;
import java.nio.ByteBuffer;

/**
 * One KVS chunk ready to send: the prefix (EBML header, Segment, pre-cluster elements, service
 * tags), the stored Cluster as a byte source (ready), and the suffix tags. Owns the source until
 * {@link #writeTo} hands it to the sink or {@link #discard} closes it.
 *
 * @param sequence the fragment's sequence
 */
record Chunk(long sequence, ByteBuffer prefix, ByteSource cluster, ByteBuffer suffix) {

  /** Queues the whole chunk; the Cluster bytes go zero-copy when storage keeps them in a file. */
  void writeTo(StreamSink sink) {
    sink.write(prefix);
    sink.writeStored(cluster);
    sink.write(suffix);
  }

  /** Releases the stored bytes when the chunk will not be sent. */
  void discard() {
    cluster.close();
  }
}
