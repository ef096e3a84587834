package io.framekeep.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Cross-origin access for browsers, as Kinesis Video Streams allows it: a web page served from
 * another origin can sign and send the API calls (the AWS SDK for JavaScript) and play the HLS and
 * DASH session URLs (hls.js, dash.js). Every response carries {@code Access-Control-Allow-Origin:
 * *} and exposes the AWS response headers; a preflight ({@code OPTIONS} with
 * {@code Access-Control-Request-Method}) is answered here with the methods and the requested
 * headers allowed, and never reaches the router. Credentials are not cookies but SigV4 headers or
 * session tokens in the URL, so a wildcard origin grants nothing a request could not carry itself.
 * One per connection; runs on its event loop.
 */
public final class CorsHandler extends ChannelDuplexHandler {
  /** Browsers may cache a preflight answer this long: a day. */
  static final int PREFLIGHT_MAX_AGE_SECONDS = 86_400;
  private static final String ALLOWED_METHODS = "GET, POST, OPTIONS";
  private static final String EXPOSED_HEADERS = "x-amzn-RequestId, x-amzn-ErrorType, "
      + "x-amzn-ErrorMessage, Content-Type, Content-Length, Date";
  private static final String DEFAULT_ALLOWED_HEADERS = "authorization, content-type, "
      + "x-amz-date, x-amz-security-token, x-amz-user-agent, x-amz-content-sha256, "
      + "amz-sdk-invocation-id, amz-sdk-request";

  /** The rest of a preflight request (its empty body) is dropped. */
  private boolean droppingPreflight;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request && isPreflight(request)) {
      droppingPreflight = !(msg instanceof LastHttpContent);
      ReferenceCountUtil.release(msg);
      answerPreflight(ctx, request);
      return;
    }
    if (droppingPreflight) {
      droppingPreflight = !(msg instanceof LastHttpContent);
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse response) {
      allowOrigin(response.headers());
    }
    ctx.write(msg, promise);
  }

  private static boolean isPreflight(HttpRequest request) {
    return HttpMethod.OPTIONS.equals(request.method())
        && request.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
  }

  private static void answerPreflight(ChannelHandlerContext ctx, HttpRequest request) {
    FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
        HttpResponseStatus.OK);
    HttpHeaders headers = response.headers();
    allowOrigin(headers); // written from this handler, so it does not pass write() below
    headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS);
    String requested = request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
    headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS,
        requested == null || requested.isBlank() ? DEFAULT_ALLOWED_HEADERS : requested);
    headers.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE_SECONDS);
    headers.set(HttpHeaderNames.CONTENT_LENGTH, 0);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (!keepAlive) {
      headers.set(HttpHeaderNames.CONNECTION, "close");
    }
    var done = ctx.writeAndFlush(response);
    if (!keepAlive) {
      done.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static void allowOrigin(HttpHeaders headers) {
    headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    headers.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED_HEADERS);
  }
}
