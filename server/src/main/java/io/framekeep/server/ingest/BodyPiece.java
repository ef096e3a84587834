package io.framekeep.server.ingest;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.ByteBuffer;

/**
 * A received piece of a PutMedia body and how far it has been parsed. Confined to the session's
 * serial executor.
 */
final class BodyPiece {
  final HttpContent content;
  final long arrivalMs;
  final int size;
  final ByteBuffer[] buffers;
  int index;
  /** Set once the last piece's end has been given to the parser. */
  boolean parsed;

  BodyPiece(HttpContent content, long arrivalMs, int size) {
    this.content = content;
    this.arrivalMs = arrivalMs;
    this.size = size;
    this.buffers = content.content().nioBuffers();
  }

  /** The next at most {@code max} bytes, or null when all is parsed. */
  ByteBuffer next(int max) {
    while (index < buffers.length && !buffers[index].hasRemaining()) {
      index++;
    }
    if (index == buffers.length) {
      return null;
    }
    ByteBuffer b = buffers[index];
    ByteBuffer slice = b.duplicate();
    slice.limit(slice.position() + Math.min(max, b.remaining()));
    b.position(slice.limit());
    return slice;
  }

  boolean last() {
    return content instanceof LastHttpContent;
  }
}
