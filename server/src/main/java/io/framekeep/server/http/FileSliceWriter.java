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
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a {@link Response.FileSlices}: the head with its exact Content-Length, the prefix, then the
 * file slices as zero-copy regions, a batch at a time so that the outbound buffer holds at most
 * {@link #SLICES_PER_BATCH} regions whatever the body length. Files are opened once per response
 * and closed when it ends. A failure after the head has gone out can only be signalled by closing
 * the connection, which is what happens (and is logged).
 */
final class FileSliceWriter {
  private static final Logger LOG = LoggerFactory.getLogger(FileSliceWriter.class);
  /** Enough regions in flight to keep the socket busy, few enough to keep memory flat. */
  static final int SLICES_PER_BATCH = 512;

  private final ChannelHandlerContext ctx;
  private final List<Response.Slice> slices;
  private final Map<Path, FileChannel> files = new HashMap<>();
  private final ChannelPromise done;
  private final String requestId;
  private int next;

  private FileSliceWriter(ChannelHandlerContext ctx, List<Response.Slice> slices, String requestId) {
    this.ctx = ctx;
    this.slices = slices;
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
    FileSliceWriter writer = new FileSliceWriter(ctx, response.slices(), requestId);
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
      for (; next < end; next++) {
        Response.Slice s = slices.get(next);
        last = s.annexBToLengthPrefixed()
            ? ctx.write(AnnexBSlices.convert(open(s.file()), s))
            : ctx.write(new SharedFileRegion(open(s.file()), s.position(), s.lengthBytes()));
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
        closeFiles();
        if (f.isSuccess()) {
          done.setSuccess();
        } else {
          fail(f.cause());
        }
      });
    } catch (IOException | MediaFormatException e) {
      fail(e);
    }
  }

  private FileChannel open(Path path) throws IOException {
    FileChannel channel = files.get(path);
    if (channel == null) {
      channel = FileChannel.open(path, StandardOpenOption.READ);
      files.put(path, channel);
    }
    return channel;
  }

  private void fail(Throwable cause) {
    LOG.warn("response {} aborted after its head was sent: {}", requestId, cause.toString());
    closeFiles();
    ctx.close();
    done.tryFailure(cause);
  }

  private void closeFiles() {
    for (FileChannel channel : files.values()) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("closing a segment file failed", e);
      }
    }
    files.clear();
  }
}
