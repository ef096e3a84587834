package io.framekeep.server.http;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.ErrorResponses;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;

/** Builds complete HTTP responses for JSON bodies and AWS errors. Stateless. */
public final class HttpResponses {
  public static final String REQUEST_ID_HEADER = "x-amzn-RequestId";
  public static final String JSON_CONTENT_TYPE = "application/json";

  private HttpResponses() {}

  public static FullHttpResponse json(byte[] body, String requestId) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON_CONTENT_TYPE);
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    response.headers().set(REQUEST_ID_HEADER, requestId);
    return response;
  }

  public static FullHttpResponse error(ApiException e, String requestId) {
    byte[] body = ErrorResponses.body(e);
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(e.error().httpStatus()),
            Unpooled.wrappedBuffer(body));
    for (Map.Entry<String, String> h : ErrorResponses.headers(e, requestId).entrySet()) {
      response.headers().set(h.getKey(), h.getValue());
    }
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return response;
  }

  public static FullHttpResponse text(HttpResponseStatus status, String text) {
    byte[] body = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN);
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return response;
  }
}
