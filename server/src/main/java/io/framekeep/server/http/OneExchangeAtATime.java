package io.framekeep.server.http;

import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Serves the requests of one connection one exchange at a time, in order, and ends the connection
 * when HTTP says so. Sits right after the HTTP codec.
 *
 * <p><b>Pipelining</b> (RFC 9112 §9.3.2): a request head that arrives while the previous response
 * is still being written is held here, with everything after it, and released once that
 * response's last byte is written; so handlers further on only ever see one request at a time and
 * answers leave in request order. While requests are held, reading from the socket pauses once
 * {@link #MAX_HELD_BYTES} are held, so a client cannot make the server buffer what it pipelines.
 * The body of the current request (a PutMedia upload) flows while its response is written.
 *
 * <p><b>Connection: close</b> (RFC 9112 §9.6): when the request says {@code Connection: close},
 * is HTTP/1.0 without {@code keep-alive}, or the response says {@code Connection: close}, the
 * response carries {@code Connection: close} and the connection is closed after its last byte;
 * held requests are dropped. An HTTP/1.0 keep-alive request gets {@code Connection: keep-alive}.
 * A refusal of a body that is still arriving, written with {@link #writeRefusal}, closes with a
 * linger instead: see {@link #lingerThenClose}.
 *
 * <p>Interim (1xx) responses such as {@code 100 Continue} do not end an exchange. Every exchange
 * change is announced to the handlers after this one with an {@link Exchange} user event. One
 * instance per connection; runs on its event loop.
 */
public final class OneExchangeAtATime extends ChannelDuplexHandler {
  /**
   * Pipelined bytes held before reading pauses: a few requests' heads and JSON bodies. One socket
   * read (at most 64 KiB with Netty's adaptive allocator) can land on top of it.
   */
  static final int MAX_HELD_BYTES = 64 * 1024;
  /**
   * How long the rest of a refused body is read and dropped before the connection is closed:
   * long enough for a client on a local network to read the refusal, short enough that lingering
   * connections cannot pile up.
   */
  static final long LINGER_MS = 2_000;
  /** What a held head counts for: its decoded headers, a KB or so. */
  private static final int NOMINAL_HEAD_BYTES = 1024;

  /** Moments of an exchange, fired as user events to the handlers after this one. */
  public enum Exchange {
    /** The last byte of a (final) response was written; the connection stays open. */
    RESPONSE_COMPLETE
  }

  private static final AttributeKey<Boolean> LINGER =
      AttributeKey.valueOf(OneExchangeAtATime.class, "lingerOnClose");

  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private long heldBytes;
  private boolean pausedReading;
  /** Between a request head and its last content. */
  private boolean requestOpen;
  /** Between a request head and the last byte of its final response. */
  private boolean responseOwed;
  /** The final response's last content is written but not yet on the wire. */
  private boolean responseEnding;
  private boolean closeAfterResponse;
  private boolean http10KeepAlive;
  private boolean closing;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!held.isEmpty() || mustWait(msg)) {
      hold(ctx, msg);
      return;
    }
    pass(ctx, msg);
  }

  private boolean mustWait(Object msg) {
    return msg instanceof HttpRequest && (requestOpen || responseOwed);
  }

  private void hold(ChannelHandlerContext ctx, Object msg) {
    held.add(msg);
    heldBytes += sizeOf(msg);
    if (heldBytes > MAX_HELD_BYTES && ctx.channel().config().isAutoRead()) {
      pausedReading = true;
      ctx.channel().config().setAutoRead(false);
    }
  }

  private void pass(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      requestOpen = true;
      responseOwed = true;
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      closeAfterResponse = !keepAlive;
      http10KeepAlive = keepAlive && request.protocolVersion().equals(HttpVersion.HTTP_1_0);
    }
    if (msg instanceof LastHttpContent) {
      requestOpen = false;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    boolean interim = false;
    if (msg instanceof HttpResponse response) {
      interim = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
      if (!interim) {
        markConnection(response);
      }
    }
    if (msg instanceof LastHttpContent && !interim && responseOwed && !responseEnding) {
      responseEnding = true;
      ChannelPromise p = promise.unvoid();
      p.addListener(f -> {
        responseEnding = false;
        responseOwed = false;
        if (f.isSuccess()) {
          onResponseWritten(ctx);
        }
      });
      ctx.write(msg, p);
      return;
    }
    ctx.write(msg, promise);
  }

  private void markConnection(HttpResponse response) {
    if (closeAfterResponse || response.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true)) {
      closeAfterResponse = true;
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (http10KeepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
  }

  /**
   * Writes {@code refusal}, a complete answer to a request whose body is still arriving unread,
   * and ends the connection after it with a linger ({@link #lingerThenClose}), so that the body
   * still in flight does not reset the connection before the client has read the refusal. Only for
   * refusals: an exchange that ends for the client's behaviour (a PutMedia whose acks go unread)
   * must stop reading at once. {@code ctx} is that of a handler after this one.
   */
  public static ChannelFuture writeRefusal(ChannelHandlerContext ctx, FullHttpResponse refusal) {
    refusal.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.channel().attr(LINGER).set(Boolean.TRUE);
    return ctx.writeAndFlush(refusal).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  private void onResponseWritten(ChannelHandlerContext ctx) {
    if (closeAfterResponse) {
      closing = true;
      releaseHeld();
      boolean linger = Boolean.TRUE.equals(ctx.channel().attr(LINGER).getAndSet(null));
      if (linger && requestOpen && ctx.channel() instanceof SocketChannel socket) {
        lingerThenClose(ctx, socket);
      } else {
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(Exchange.RESPONSE_COMPLETE);
    while (!held.isEmpty() && !closing && !mustWait(held.peek())) {
      Object next = held.poll();
      heldBytes -= sizeOf(next);
      pass(ctx, next);
    }
    if (held.isEmpty() && pausedReading) {
      pausedReading = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  /**
   * Ends a connection whose refused request body is still arriving: the output is shut (the
   * client reads the refusal, then end of stream) while what the client still sends is read and
   * dropped, for at most {@link #LINGER_MS}; then the connection is closed whatever else happens.
   * Closing at once would make the kernel answer the client's next bytes with a reset, which can
   * destroy the refusal before the client has read it.
   */
  private static void lingerThenClose(ChannelHandlerContext ctx, SocketChannel socket) {
    ctx.executor().schedule(() -> ctx.close(), LINGER_MS, TimeUnit.MILLISECONDS);
    socket.shutdownOutput().addListener(f -> {
      if (!f.isSuccess()) {
        ctx.close();
      }
    });
    socket.config().setAutoRead(true);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    releaseHeld();
    super.channelInactive(ctx);
  }

  private void releaseHeld() {
    Object msg;
    while ((msg = held.poll()) != null) {
      ReferenceCountUtil.release(msg);
    }
    heldBytes = 0;
  }

  /** Bytes a held message pins: its content, plus a nominal amount for a head. */
  private static long sizeOf(Object msg) {
    long bytes = msg instanceof ByteBufHolder holder ? holder.content().readableBytes() : 0;
    return msg instanceof HttpRequest ? bytes + NOMINAL_HEAD_BYTES : bytes;
  }
}
