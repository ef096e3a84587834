package io.framekeep.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The console's files as the handler serves them from the built console module on the classpath. */
class ConsoleAssetHandlerTest {
  private final ConsoleAssets assets = ConsoleAssets.fromClasspath();

  private FullHttpResponse get(HttpMethod method, String uri, String ifNoneMatch) {
    EmbeddedChannel channel = new EmbeddedChannel(new ConsoleAssetHandler(assets));
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
    if (ifNoneMatch != null) {
      request.headers().set(HttpHeaderNames.IF_NONE_MATCH, ifNoneMatch);
    }
    channel.writeInbound(request);
    FullHttpResponse response = channel.readOutbound();
    channel.finishAndReleaseAll();
    return response;
  }

  private static String body(FullHttpResponse response) {
    String text = response.content().toString(StandardCharsets.UTF_8);
    response.release();
    return text;
  }

  @Test
  void root_servesIndexRevalidatedEveryTime() {
    FullHttpResponse r = get(HttpMethod.GET, "/?x=1", null);
    assertThat(r.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(r.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/html; charset=utf-8");
    assertThat(r.headers().get(HttpHeaderNames.CACHE_CONTROL)).isEqualTo("no-cache");
    assertThat(body(r)).contains("<script src=\"/console/main-");
  }

  @Test
  void bundle_namedByHash_cachedForAYearAndEtagGives304() {
    Matcher m = Pattern.compile("/console/(main-[A-Z0-9]+\\.js)").matcher(body(get(HttpMethod.GET, "/", null)));
    assertThat(m.find()).isTrue();
    FullHttpResponse js = get(HttpMethod.GET, "/console/" + m.group(1), null);
    assertThat(js.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(js.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/javascript; charset=utf-8");
    assertThat(js.headers().get(HttpHeaderNames.CACHE_CONTROL)).contains("immutable");
    String etag = js.headers().get(HttpHeaderNames.ETAG);
    assertThat(js.content().readableBytes()).isGreaterThan(100_000); // hls.js is in it
    js.release();
    FullHttpResponse again = get(HttpMethod.GET, "/console/" + m.group(1), etag);
    assertThat(again.status()).isEqualTo(HttpResponseStatus.NOT_MODIFIED);
    assertThat(body(again)).isEmpty();
  }

  @Test
  void head_headersWithoutBody() {
    FullHttpResponse r = get(HttpMethod.HEAD, "/console/", null);
    assertThat(r.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(r.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isPositive();
    assertThat(body(r)).isEmpty();
  }

  @Test
  void unknownOrEscapingNames_notFound() {
    for (String uri : new String[] {"/console/nope.js", "/console/../pom.xml", "/console/%2e%2e/x.js",
        "/console/a/b.js", "/console/index.exe"}) {
      FullHttpResponse r = get(HttpMethod.GET, uri, null);
      assertThat(r.status()).as(uri).isEqualTo(HttpResponseStatus.NOT_FOUND);
      r.release();
    }
  }

  @Test
  void apiRequests_passThroughUntouched() {
    EmbeddedChannel channel = new EmbeddedChannel(new ConsoleAssetHandler(assets));
    FullHttpRequest post = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/listStreams");
    FullHttpRequest health = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/health");
    channel.writeInbound(post, health);
    assertThat((Object) channel.readOutbound()).isNull();
    assertThat((Object) channel.readInbound()).isSameAs(post);
    assertThat((Object) channel.readInbound()).isSameAs(health);
    channel.finishAndReleaseAll();
  }
}
