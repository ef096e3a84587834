package io.framekeep.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

/**
 * Notes when the listener accepted each connection ({@link System#nanoTime()}), so that the first
 * answer on it can say how long the server held it: the wait for an event loop to take the new
 * connection and to read its request counts, which a timer started at the request's decoding would
 * miss. On the listening channel's pipeline, one instance for every listener. Thread-safe.
 */
@ChannelHandler.Sharable
public final class AcceptTimes extends ChannelInboundHandlerAdapter {
  private static final AttributeKey<Long> ACCEPTED_NANOS =
      AttributeKey.valueOf(AcceptTimes.class, "acceptedNanos");

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Channel child) {
      child.attr(ACCEPTED_NANOS).set(System.nanoTime());
    }
    ctx.fireChannelRead(msg);
  }

  /**
   * Nanoseconds since {@code channel} was accepted, the first time it is asked for a channel;
   * -1 afterwards (a later request on a kept-alive connection did not wait for the accept) and for
   * channels accepted without this handler.
   */
  public static long sinceAcceptedOnce(Channel channel) {
    Long accepted = channel.attr(ACCEPTED_NANOS).getAndSet(null);
    return accepted == null ? -1 : System.nanoTime() - accepted;
  }
}
