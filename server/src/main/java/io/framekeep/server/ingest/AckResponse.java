package io.framekeep.server.ingest;

import io.framekeep.api.error.ApiException;
import io.framekeep.server.http.HttpResponses;
import io.framekeep.server.http.OneExchangeAtATime;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The response of one PutMedia request on the wire: a chunked {@code 200} whose chunks are the
 * acks, one JSON line each, then its end; or, instead of all that, a refusal. Every ack's bytes
 * are counted in the session's {@link AckBacklog} until the client has taken them. Callable from
 * any thread (Netty hands each write to the connection's event loop, in call order).
 */
final class AckResponse {
  private final ChannelHandlerContext ctx;
  private final String requestId;
  private final AckBacklog backlog;

  AckResponse(ChannelHandlerContext ctx, String requestId, AckBacklog backlog) {
    this.ctx = ctx;
    this.requestId = requestId;
    this.backlog = backlog;
  }

  /** Writes the response head: the session is open and acks follow. */
  void start() {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpResponses.JSON_CONTENT_TYPE);
    head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    head.headers().set(HttpResponses.REQUEST_ID_HEADER, requestId);
    ctx.writeAndFlush(head);
  }

  /**
   * Writes one ack as a chunk of its own, counted in the backlog until it has left. Its timecode:
   * ABSOLUTE, the cluster timecode; RELATIVE, the producer start timestamp plus it (spec §1.4).
   */
  void ack(AckEvent event) {
    var line = Unpooled.copiedBuffer(event.toJsonLine(), StandardCharsets.UTF_8);
    int bytes = line.readableBytes();
    backlog.queued(bytes);
    ctx.writeAndFlush(new DefaultHttpContent(line)).addListener(f -> backlog.sent(bytes));
  }

  /**
   * Ends the response; with {@code close} (after an error, since the body may still flow) the
   * connection is closed once the last chunk has left, or, if the client does not read, reset
   * after {@link SessionEnding#LAST_CHUNK_GRACE_MS} ({@link #reset}).
   */
  void end(boolean close) {
    var f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    if (close) {
      f.addListener(ChannelFutureListener.CLOSE);
      ctx.executor().schedule(this::reset, SessionEnding.LAST_CHUNK_GRACE_MS,
          TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Closes the connection of a client that left the end of its response unread, with a reset
   * (SO_LINGER 0) rather than a FIN. A FIN would queue behind the unread acks: the kernel would keep
   * them for a client whose window stays shut, and a client whose own writes are blocked (it sends
   * its body but reads nothing) would learn of the close only from its next zero-window probe,
   * which TCP backs off to minutes. The acks dropped were not going to be read.
   */
  private void reset() {
    if (ctx.channel().isActive()) {
      ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
      ctx.close();
    }
  }

  /** Answers {@code e} instead of the response, before any of the body was parsed. */
  void refuse(ApiException e) {
    OneExchangeAtATime.writeRefusal(ctx, HttpResponses.error(e, requestId));
  }
}
