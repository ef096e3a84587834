package io.framekeep.server.tls;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.stream.ChunkedWriteHandler;

/**
 * Puts TLS in front of a connection's HTTP pipeline. Nearest the socket: the {@code SslHandler};
 * then a {@link ChunkedWriteHandler} and the {@link FileRegionChunker}, which together send the
 * HTTP layer's zero-copy file regions as encrypted chunks. Everything the HTTP handlers write
 * passes through unchanged otherwise, so they need not know whether the connection is TLS.
 */
public final class TlsPipeline {
  private static final String SSL = "tls";
  private static final String CHUNKED = "tls-chunked-writer";
  private static final String REGIONS = "tls-file-regions";

  private TlsPipeline() {}

  /** Call from the channel initializer before or after adding the HTTP handlers. */
  public static void addFirst(ChannelPipeline pipeline, ReloadingSslContext tls) {
    pipeline.addFirst(REGIONS, FileRegionChunker.INSTANCE);
    pipeline.addFirst(CHUNKED, new ChunkedWriteHandler());
    pipeline.addFirst(SSL, tls.newHandler(pipeline.channel().alloc()));
  }
}
