package io.framekeep.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.framekeep.media.MediaFormatException;
import io.framekeep.storage.ByteSource;
import io.framekeep.storage.RangeReader;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a {@link Response.FileSlices}: the head with its exact Content-Length, the prefix, then the
 * stored slices as regions of the response's {@link RangeReader} (zero-copy {@code sendfile} for
 * the embedded backend's segment files), a batch at a time so that the outbound buffer holds at
 * most {@link #SLICES_PER_BATCH} regions whatever the body length. A slice whose bytes are not
 * local yet (an object still being fetched) is waited for without blocking the event loop, after
 * flushing what was queued. The reader is closed when the response ends. A failure after the head
 * has gone out can only be signalled by closing the connection, which is what happens (and is
 * logged).
 */
final class FileSliceWriter {
  private static final Logger LOG = LoggerFactory.getLogger(FileSliceWriter.class);
  /** Enough regions in flight to keep the socket busy, few enough to keep memory flat. */
  static final int SLICES_PER_BATCH = 512;

  private final ChannelHandlerContext ctx;
  private final List<Response.Slice> slices;
  private final RangeReader bytes;
  private final ChannelPromise done;
  private final String requestId;
  private int next;
  /** The source of slice {@link #next}, taken from the reader but not yet written. */
  private ByteSource taken;

  private FileSliceWriter(ChannelHandlerContext ctx, Response.FileSlices response,
      String requestId) {
    this.ctx = ctx;
    this.slices = response.slices();
    this.bytes = response.bytes();
    this.done = ctx.newPromise();
    this.requestId = requestId;
  }

  /** Must be called on the channel's event loop. The future completes when the body is written. */
  static ChannelFuture write(
      ChannelHandlerContext ctx, Response.FileSlices response, String requestId, boolean keepAlive) {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
    head.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.totalBytes());
    head.headers().set(HttpResponses.REQUEST_ID_HEADER, requestId);
    if (!keepAlive) {
      head.headers().set(HttpHeaderNames.CONNECTION, "close");
    }
    ctx.write(head);
    ctx.write(Unpooled.wrappedBuffer(response.prefix().duplicate()));
    FileSliceWriter writer = new FileSliceWriter(ctx, response, requestId);
    writer.writeBatch();
    if (!keepAlive) {
      writer.done.addListener(ChannelFutureListener.CLOSE);
    }
    return writer.done;
  }

  private void writeBatch() {
    try {
      int end = Math.min(slices.size(), next + SLICES_PER_BATCH);
      ChannelFuture last = null;
      while (next < end) {
        if (taken == null) {
          taken = bytes.next();
        }
        CompletableFuture<Void> ready = taken.ready().toCompletableFuture();
        if (!ready.isDone()) {
          ctx.flush(); // a bounded backend may be waiting for the sources already queued
          ready.whenComplete((ignored, error) -> ctx.executor().execute(this::writeBatch));
          return;
        }
        ready.join(); // throws the fetch's failure
        Response.Slice s = slices.get(next++);
        ByteSource source = taken;
        taken = null;
        last = s.annexBToLengthPrefixed()
            ? ctx.write(AnnexBSlices.convert(source, s))
            : ctx.write(new ByteSourceRegion(source));
      }
      if (next < slices.size()) {
        ctx.flush();
        last.addListener(f -> {
          if (f.isSuccess()) {
            writeBatch();
          } else {
            fail(f.cause());
          }
        });
        return;
      }
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
        release();
        if (f.isSuccess()) {
          done.setSuccess();
        } else {
          fail(f.cause());
        }
      });
    } catch (CompletionException e) {
      fail(e.getCause());
    } catch (IOException | MediaFormatException | RuntimeException e) {
      fail(e);
    }
  }

  private void fail(Throwable cause) {
    LOG.warn("response {} aborted after its head was sent: {}", requestId, cause.toString());
    release();
    ctx.close();
    done.tryFailure(cause);
  }

  private void release() {
    if (taken != null) {
      taken.close();
      taken = null;
    }
    bytes.close();
  }
}
