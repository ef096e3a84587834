package io.framekeep.server.http;

/**
 * Produces a {@link Response.Streaming} body. {@link #start} is called once, on the connection's
 * event loop, right after the response head was written; it must not block. From then on the body
 * owns the response until it calls {@link StreamSink#end()} or {@link StreamSink#abort(String)},
 * or the client goes away (see {@link StreamSink#onClose(Runnable)}).
 */
@FunctionalInterface
public interface StreamingBody {
  void start(StreamSink sink);
}
