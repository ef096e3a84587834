package io.framekeep.server.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps the connections open at once. A connection accepted over the cap is closed at once,
 * before anything of it is read, so a flood of connections costs one accept and one close each and
 * never takes memory or a slot from an established connection. The first of the pipeline's
 * handlers; one instance shared by every connection of a listener. Thread-safe.
 */
@ChannelHandler.Sharable
public final class ConnectionCap extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);
  /** Refusals are logged at most this often, so that a flood does not flood the log too. */
  private static final long REFUSAL_LOG_INTERVAL_NANOS = 10_000_000_000L;

  private final int maxConnections;
  private final AtomicInteger open = new AtomicInteger();
  private volatile long lastRefusalLogNanos = System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS;

  public ConnectionCap(int maxConnections) {
    this.maxConnections = maxConnections;
  }

  /** Connections currently counted against the cap. */
  public int openConnections() {
    return open.get();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      logRefusal();
      ctx.close();
      return;
    }
    ctx.channel().closeFuture().addListener(f -> open.decrementAndGet());
    super.channelActive(ctx);
    ctx.pipeline().remove(this);
  }

  private void logRefusal() {
    long now = System.nanoTime();
    if (now - lastRefusalLogNanos >= REFUSAL_LOG_INTERVAL_NANOS) {
      lastRefusalLogNanos = now;
      LOG.warn("refusing new connections: {} are open, the cap (--max-connections)",
          maxConnections);
    }
  }
}
