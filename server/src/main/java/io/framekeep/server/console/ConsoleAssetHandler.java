package io.framekeep.server.console;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Serves the web console: {@code GET /} and {@code GET /console/} answer {@code index.html},
 * {@code GET /console/NAME} the built file NAME (HEAD alike), with its content type, an ETag
 * ({@code If-None-Match} gives 304) and Cache-Control from {@link ConsoleAssets}. Every other request
 * passes on unchanged to the next handler (the API router). Unauthenticated: the files are public;
 * everything the console shows comes from SigV4-signed API calls it makes afterwards.
 *
 * <p>One instance per connection, on its event loop. The (empty) body of a request answered here is
 * dropped up to its last content.
 */
public final class ConsoleAssetHandler extends ChannelInboundHandlerAdapter {
  /** Prefix of every console path but {@code /}. */
  public static final String PREFIX = "/console/";

  private final ConsoleAssets assets;
  private boolean discarding;

  public ConsoleAssetHandler(ConsoleAssets assets) {
    this.assets = assets;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request && isConsoleRequest(request)) {
      discarding = !(msg instanceof LastHttpContent);
      try {
        answer(ctx, request);
      } finally {
        ReferenceCountUtil.release(msg);
      }
      return;
    }
    if (discarding && msg instanceof HttpContent) {
      discarding = !(msg instanceof LastHttpContent);
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private static boolean isConsoleRequest(HttpRequest request) {
    boolean read = HttpMethod.GET.equals(request.method())
        || HttpMethod.HEAD.equals(request.method());
    String path = pathOf(request.uri());
    return read && (path.equals("/") || path.startsWith(PREFIX) || path.equals("/console"));
  }

  private void answer(ChannelHandlerContext ctx, HttpRequest request) {
    String path = pathOf(request.uri());
    String name = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
    Optional<ConsoleAssets.Asset> asset = assets.find(name.isEmpty() ? ConsoleAssets.INDEX : name);
    FullHttpResponse response;
    if (asset.isEmpty()) {
      String text = assets.present()
          ? "Not found: " + path + "\n"
          : "This server was built without the web console (the console module).\n";
      response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND,
          Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    } else {
      ConsoleAssets.Asset a = asset.get();
      boolean unchanged = a.etag().equals(request.headers().get(HttpHeaderNames.IF_NONE_MATCH));
      boolean head = HttpMethod.HEAD.equals(request.method());
      response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          unchanged ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
          unchanged || head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(a.bytes()));
      response.headers()
          .set(HttpHeaderNames.CONTENT_TYPE, a.contentType())
          .set(HttpHeaderNames.CACHE_CONTROL, a.cacheControl())
          .set(HttpHeaderNames.ETAG, a.etag())
          .set("X-Content-Type-Options", "nosniff")
          .set("Referrer-Policy", "no-referrer");
    }
    if (!HttpResponseStatus.NOT_MODIFIED.equals(response.status())) {
      HttpUtil.setContentLength(response, asset.map(a -> (long) a.bytes().length)
          .orElse((long) response.content().readableBytes()));
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, "close");
    }
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static String pathOf(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }
}
