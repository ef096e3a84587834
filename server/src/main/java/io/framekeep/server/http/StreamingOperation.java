package io.framekeep.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;

/**
 * An operation whose request body is consumed as it arrives (PutMedia) instead of being buffered.
 * {@link #start} is called on the event loop with the request head; it must not block.
 */
@FunctionalInterface
public interface StreamingOperation {
  Upload start(ChannelHandlerContext ctx, HttpRequest request, String requestId);

  /** Receives the body of one streamed request. Methods are called on the event loop. */
  interface Upload {
    /** A piece of the body; the upload owns it and must release it. Last piece: LastHttpContent. */
    void onContent(HttpContent content);

    /** The connection closed, possibly mid-body. */
    void onConnectionClosed();
  }
}
