package io.framekeep.server.http;

import io.framekeep.storage.ByteSource;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty side of a {@link Response.Streaming}: a 200 head with {@code Transfer-Encoding:
 * chunked}, then each flushed batch as HTTP chunks (buffers wrapped, stored bytes as
 * {@link ByteSourceRegion}s, zero-copy for files), then the terminating chunk. Confined to the connection's event
 * loop, as {@link StreamSink} requires.
 */
final class NettyStreamSink implements StreamSink {
  private static final Logger LOG = LoggerFactory.getLogger(NettyStreamSink.class);

  private final ChannelHandlerContext ctx;
  private final String requestId;
  private final boolean keepAlive;
  private final List<Runnable> closeActions = new ArrayList<>();
  private ChannelFuture lastWrite;
  private boolean open = true;
  private boolean finished;

  private NettyStreamSink(ChannelHandlerContext ctx, String requestId, boolean keepAlive) {
    this.ctx = ctx;
    this.requestId = requestId;
    this.keepAlive = keepAlive;
  }

  /** Writes the head; must be called on the event loop. */
  static NettyStreamSink start(ChannelHandlerContext ctx, String contentType, String requestId,
      boolean keepAlive) {
    NettyStreamSink sink = new NettyStreamSink(ctx, requestId, keepAlive);
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    head.headers().set(HttpResponses.REQUEST_ID_HEADER, requestId);
    if (!keepAlive) {
      head.headers().set(HttpHeaderNames.CONNECTION, "close");
    }
    sink.lastWrite = ctx.writeAndFlush(head);
    ctx.channel().closeFuture().addListener(f -> sink.finish());
    return sink;
  }

  @Override
  public Executor executor() {
    return ctx.executor();
  }

  @Override
  public AutoCloseable schedule(Runnable task, long delayMs) {
    ScheduledFuture<?> future = ctx.executor().schedule(task, delayMs, TimeUnit.MILLISECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public void write(ByteBuffer bytes) {
    if (open) {
      lastWrite = ctx.write(Unpooled.wrappedBuffer(bytes));
    }
  }

  @Override
  public void writeStored(ByteSource source) {
    if (open) {
      lastWrite = ctx.write(new ByteSourceRegion(source));
    } else {
      source.close();
    }
  }

  @Override
  public CompletionStage<Void> flush() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (!open) {
      done.completeExceptionally(new ClosedChannelException());
      return done;
    }
    ctx.flush();
    lastWrite.addListener(f -> {
      if (f.isSuccess()) {
        done.complete(null);
      } else {
        done.completeExceptionally(f.cause());
      }
    });
    return done;
  }

  @Override
  public void end() {
    if (!open) {
      return;
    }
    open = false;
    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
      if (!keepAlive || !f.isSuccess()) {
        ctx.close();
      }
      finish();
    });
  }

  @Override
  public void abort(String reason) {
    if (!open) {
      return;
    }
    LOG.warn("response {} aborted after its head was sent: {}", requestId, reason);
    open = false;
    ctx.close();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void onClose(Runnable action) {
    if (finished) {
      action.run();
    } else {
      closeActions.add(action);
    }
  }

  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    open = false;
    for (Runnable action : closeActions) {
      try {
        action.run();
      } catch (RuntimeException e) {
        LOG.error("close action of response {} failed", requestId, e);
      }
    }
    closeActions.clear();
  }
}
