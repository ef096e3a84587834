package io.framekeep.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.junit.jupiter.api.Test;

class CorsHandlerTest {
  private static HttpRequest preflight(boolean full) {
    HttpRequest request = full
        ? new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.OPTIONS, "/getClip")
        : new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.OPTIONS, "/getClip");
    request.headers().set("Origin", "http://localhost:3000")
        .set("Access-Control-Request-Method", "POST");
    return request;
  }

  @Test
  void preflight_thenItsEmptyBody_answeredHereAndNothingReachesTheRouter() {
    EmbeddedChannel channel = new EmbeddedChannel(new CorsHandler());

    channel.writeInbound(preflight(false));
    channel.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);

    assertThat((Object) channel.readInbound()).isNull();
    FullHttpResponse answer = channel.readOutbound();
    assertThat(answer.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(answer.headers().get("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(answer.headers().get("Access-Control-Allow-Headers")).contains("authorization",
        "x-amz-date");
    assertThat(answer.headers().getInt("Access-Control-Max-Age"))
        .isEqualTo(CorsHandler.PREFLIGHT_MAX_AGE_SECONDS);
    answer.release();
  }

  @Test
  void preflightAsOneMessage_thenARealRequest_theRealOnePassesThrough() {
    EmbeddedChannel channel = new EmbeddedChannel(new CorsHandler());

    channel.writeInbound(preflight(true));
    HttpRequest post = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/getClip");
    channel.writeInbound(post);

    assertThat((Object) channel.readInbound()).isSameAs(post);
    ((FullHttpResponse) channel.readOutbound()).release();
  }

  @Test
  void optionsWithoutPreflightHeaders_passesThroughToTheRouter() {
    EmbeddedChannel channel = new EmbeddedChannel(new CorsHandler());
    HttpRequest options = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.OPTIONS, "/");

    channel.writeInbound(options);

    assertThat((Object) channel.readInbound()).isSameAs(options);
  }

  @Test
  void anyResponse_getsTheOriginHeaders() {
    EmbeddedChannel channel = new EmbeddedChannel(new CorsHandler());

    channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.NOT_FOUND));

    FullHttpResponse written = channel.readOutbound();
    assertThat(written.headers().get("Access-Control-Allow-Origin")).isEqualTo("*");
    assertThat(written.headers().get("Access-Control-Expose-Headers"))
        .contains("x-amzn-ErrorType");
    written.release();
  }
}
