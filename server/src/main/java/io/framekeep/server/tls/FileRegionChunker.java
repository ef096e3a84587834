package io.framekeep.server.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;

/**
 * On a TLS connection, turns every {@link FileRegion} written by the HTTP layer (clips, playback
 * segments, GetMedia) into a {@link FileRegionInput} for the {@code ChunkedWriteHandler} nearer the
 * socket: {@code SslHandler} encrypts buffers and cannot take regions. Plain-HTTP connections do
 * not have this handler and keep {@code sendfile}. Stateless and shareable.
 */
@io.netty.channel.ChannelHandler.Sharable
final class FileRegionChunker extends ChannelOutboundHandlerAdapter {
  static final FileRegionChunker INSTANCE = new FileRegionChunker();

  private FileRegionChunker() {}

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    ctx.write(msg instanceof FileRegion region ? new FileRegionInput(region) : msg, promise);
  }
}
