package io.framekeep.server.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Notes that a listener has received its first request other than {@code GET /health}: the moment
 * a server starts serving clients rather than load-balancer probes. Background work that only
 * makes sense before clients arrive (the start-up warm-up) stops when it sees the flag.
 *
 * <p>Cheap by construction: it sits after the HTTP decoder only on connections accepted while the
 * flag is still clear ({@link #isRaised()} is checked by the channel initializer), and each
 * instance removes itself at its connection's first request, so a serving server has it on no
 * connection. One instance shared by every connection of a server. Thread-safe.
 */
@ChannelHandler.Sharable
public final class FirstRequestSignal extends ChannelInboundHandlerAdapter {
  private volatile boolean raised;

  /** True once any connection has sent a request other than {@code GET /health}. */
  public boolean isRaised() {
    return raised;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest head) {
      boolean probe = HttpMethod.GET.equals(head.method())
          && HttpRouter.pathOf(head.uri()).equals("/health");
      if (!probe) {
        raised = true;
        ctx.pipeline().remove(this);
      }
    }
    super.channelRead(ctx, msg);
  }
}
