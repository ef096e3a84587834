package io.framekeep.server.http;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that stalls: a request head not complete within
 * {@link ConnectionLimits#requestHeadTimeoutMs} of its first byte (or of the connection being
 * accepted), a request body silent for {@link ConnectionLimits#requestBodyIdleTimeoutMs}, or a
 * kept-alive connection with no new request within {@link ConnectionLimits#keepAliveIdleTimeoutMs}
 * of the last response. While the server is answering, nothing is timed here (a GetMedia response
 * lasts as long as the stream); bodies of requests matching {@code ownIdleRule} (PutMedia) are not
 * timed either, they carry their own idle rule.
 *
 * <p>Sits after {@link OneExchangeAtATime}, so it sees one exchange at a time and learns that a
 * response is complete from its {@link OneExchangeAtATime.Exchange} event. Bytes that are not yet a
 * whole message are noticed through {@code channelReadComplete}, which the codec passes on after
 * every socket read. One instance per connection; runs on its event loop.
 */
public final class ExchangeTimeouts extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ExchangeTimeouts.class);

  private enum Phase {
    /** Kept alive, nothing of the next request received yet. */
    AWAITING_REQUEST,
    /** Part of a request head received (or a new connection). */
    READING_HEAD,
    /** Head received, body arriving; timed by the body idle timeout. */
    READING_BODY,
    /** Head received, body under its operation's own rule; or the server is answering. */
    UNTIMED
  }

  private final ConnectionLimits limits;
  private final Predicate<HttpRequest> ownIdleRule;
  private Phase phase = Phase.READING_HEAD;
  private boolean requestOpen;
  private boolean responseComplete;
  /** Bytes arrived after the request while the server was answering: the next head began. */
  private boolean nextHeadStarted;
  private long lastBodyReadNanos;
  private ScheduledFuture<?> timer;

  public ExchangeTimeouts(ConnectionLimits limits, Predicate<HttpRequest> ownIdleRule) {
    this.limits = limits;
    this.ownIdleRule = ownIdleRule;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      enter(ctx, Phase.READING_HEAD);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    enter(ctx, Phase.READING_HEAD);
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      responseComplete = false;
      nextHeadStarted = false;
      requestOpen = true;
      lastBodyReadNanos = System.nanoTime();
      enter(ctx, ownIdleRule.test(request) ? Phase.UNTIMED : Phase.READING_BODY);
    }
    if (msg instanceof LastHttpContent) {
      requestOpen = false;
      enter(ctx, responseComplete ? Phase.AWAITING_REQUEST : Phase.UNTIMED);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (phase == Phase.AWAITING_REQUEST) {
      enter(ctx, Phase.READING_HEAD);
    } else if (phase == Phase.READING_BODY) {
      lastBodyReadNanos = System.nanoTime();
    } else if (phase == Phase.UNTIMED && !requestOpen) {
      nextHeadStarted = true;
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == OneExchangeAtATime.Exchange.RESPONSE_COMPLETE) {
      responseComplete = true;
      if (!requestOpen) {
        enter(ctx, nextHeadStarted ? Phase.READING_HEAD : Phase.AWAITING_REQUEST);
      } // else the body still arrives (an upload answered early) and its phase goes on

    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }

  private void enter(ChannelHandlerContext ctx, Phase next) {
    cancel();
    phase = next;
    switch (next) {
      case AWAITING_REQUEST -> timer = schedule(ctx, limits.keepAliveIdleTimeoutMs(),
          "no request within the keep-alive idle timeout");
      case READING_HEAD -> timer = schedule(ctx, limits.requestHeadTimeoutMs(),
          "the request head was not complete within the head timeout");
      case READING_BODY -> timer = ctx.executor().schedule(() -> checkBodyIdle(ctx),
          limits.requestBodyIdleTimeoutMs(), TimeUnit.MILLISECONDS);
      case UNTIMED -> { }
    }
  }

  private ScheduledFuture<?> schedule(ChannelHandlerContext ctx, long delayMs, String reason) {
    return ctx.executor().schedule(() -> expire(ctx, reason), delayMs, TimeUnit.MILLISECONDS);
  }

  private void checkBodyIdle(ChannelHandlerContext ctx) {
    if (phase != Phase.READING_BODY) {
      return;
    }
    long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastBodyReadNanos);
    long leftMs = limits.requestBodyIdleTimeoutMs() - silentMs;
    if (leftMs > 0) {
      timer = ctx.executor().schedule(() -> checkBodyIdle(ctx), leftMs, TimeUnit.MILLISECONDS);
    } else {
      expire(ctx, "the request body was silent for the body idle timeout");
    }
  }

  private void expire(ChannelHandlerContext ctx, String reason) {
    LOG.debug("closing {}: {}", ctx.channel().remoteAddress(), reason);
    ctx.close();
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
