package io.framekeep.server.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
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
 * flushing what was queued. The head waits for the first slice's bytes, so a first slice that
 * cannot be read is answered with an AWS error ({@link StorageFailures}). The reader is closed when
 * the response ends. A failure after the head has gone out can only be signalled by closing the
 * connection, which is what happens (and is logged).
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
    FileSliceWriter writer = new FileSliceWriter(ctx, response, requestId);
    if (!keepAlive) {
      writer.done.addListener(ChannelFutureListener.CLOSE);
    }
    writer.start(response, keepAlive);
    return writer.done;
  }

  /**
   * Sends the head once the first slice's bytes are there, so that a store that cannot deliver
   * them (cluster mode: the object store down) is answered with an error instead of a truncated
   * 200. Costs the first fetch's latency before the head, never more: the rest streams as before.
   */
  private void start(Response.FileSlices response, boolean keepAlive) {
    CompletableFuture<Void> ready;
    try {
      if (!slices.isEmpty() && taken == null) {
        taken = bytes.next();
      }
      ready = taken == null ? CompletableFuture.completedFuture(null)
          : taken.ready().toCompletableFuture();
    } catch (RuntimeException e) {
      refuse(e, keepAlive);
      return;
    }
    if (!ready.isDone()) {
      ready.whenComplete((ignored, error) ->
          ctx.executor().execute(() -> start(response, keepAlive)));
      return;
    }
    try {
      ready.join();
    } catch (CompletionException e) {
      refuse(e.getCause(), keepAlive);
      return;
    } catch (RuntimeException e) {
      refuse(e, keepAlive);
      return;
    }
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
    head.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.totalBytes());
    head.headers().set(HttpResponses.REQUEST_ID_HEADER, requestId);
    if (!keepAlive) {
      head.headers().set(HttpHeaderNames.CONNECTION, "close");
    }
    ctx.write(head);
    ctx.write(Unpooled.wrappedBuffer(response.prefix().duplicate()));
    writeBatch();
  }

  /** The first slice could not be read: an AWS error instead of the head. */
  private void refuse(Throwable cause, boolean keepAlive) {
    release();
    ApiException error = StorageFailures.unavailable(cause).orElseGet(() -> {
      LOG.error("response {} failed before its head was sent", requestId, cause);
      return ApiException.of(AwsError.INTERNAL_FAILURE, "Internal error; request id " + requestId);
    });
    LOG.warn("response {} refused before its head: {}", requestId, cause.toString());
    FullHttpResponse response = HttpResponses.error(error, requestId);
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, "close");
    }
    ctx.writeAndFlush(response).addListener(f -> {
      if (f.isSuccess()) {
        done.trySuccess();
      } else {
        done.tryFailure(f.cause());
      }
    });
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
