package io.framekeep.server.media;

import io.framekeep.server.http.StreamSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * One KVS chunk ready to send: the prefix (EBML header, Segment, pre-cluster elements, service
 * tags), the stored Cluster as a slice of an open segment file, and the suffix tags. Owns the file
 * channel until {@link #writeTo} hands it to the sink or {@link #discard} closes it.
 *
 * @param sequence the fragment's sequence
 */
record Chunk(long sequence, ByteBuffer prefix, FileChannel file, long position, long lengthBytes,
    ByteBuffer suffix) {

  /** Queues the whole chunk; the Cluster bytes go zero-copy from the segment file. */
  void writeTo(StreamSink sink) {
    sink.write(prefix);
    sink.writeFile(file, position, lengthBytes);
    sink.write(suffix);
  }

  /** Closes the file when the chunk will not be sent. */
  void discard() {
    try {
      file.close();
    } catch (IOException e) {
      // Nothing was read through it; there is nothing to report.
    }
  }
}
