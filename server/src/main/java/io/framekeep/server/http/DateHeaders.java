package io.framekeep.server.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import java.time.Clock;
import java.util.Date;

/**
 * Puts a {@code Date} header (RFC 9110 §6.6.1, IMF-fixdate such as
 * {@code Fri, 04 Dec 2026 16:21:55 GMT}) on every response that has none, from the server's clock.
 * Clients need it: the AWS SDKs correct their clock skew from it after a {@code RequestExpired},
 * and players synchronise live playback with it. Sits right after the HTTP codec so that responses
 * written by any handler after it (CORS preflights, 100 Continue, errors) get one. Sharable and
 * thread-safe: the text of the current second is formatted once and kept in one immutable holder,
 * replaced whole when the second changes (formatting costs more than the rest of a small response).
 */
@ChannelHandler.Sharable
public final class DateHeaders extends ChannelOutboundHandlerAdapter {
  /** One second of the clock (epoch seconds) and its IMF-fixdate text. */
  private record Formatted(long epochSecond, String text) {}

  private final Clock clock;
  private volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

  public DateHeaders(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response
        && !response.headers().contains(HttpHeaderNames.DATE)) {
      response.headers().set(HttpHeaderNames.DATE, currentText());
    }
    ctx.write(msg, promise);
  }

  private String currentText() {
    long millis = clock.millis();
    long second = Math.floorDiv(millis, 1000L);
    Formatted f = last;
    if (f.epochSecond() != second) {
      f = new Formatted(second, DateFormatter.format(new Date(second * 1000L)));
      last = f;
    }
    return f.text();
  }

  /** The clock's current second as an IMF-fixdate. */
  public static String imfFixdate(Clock clock) {
    return DateFormatter.format(new Date(clock.millis()));
  }
}
