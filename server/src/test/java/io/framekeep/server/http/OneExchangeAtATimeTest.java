package io.framekeep.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One exchange at a time on a connection, driven message by message on an embedded channel. */
class OneExchangeAtATimeTest {
  /** Records what reaches the handlers after the one under test. */
  private static final class Seen extends ChannelInboundHandlerAdapter {
    final List<Object> messages = new ArrayList<>();
    final List<Object> events = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      messages.add(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      events.add(evt);
    }
  }

  private final Seen seen = new Seen();
  private final EmbeddedChannel channel = new EmbeddedChannel(new OneExchangeAtATime(), seen);

  private static HttpRequest get(String uri) {
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
  }

  private static FullHttpResponse ok() {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
    return r;
  }

  @Test
  void pipelinedRequest_heldUntilPreviousResponseWritten_thenReleasedInOrder() {
    channel.writeInbound(get("/a"), LastHttpContent.EMPTY_LAST_CONTENT, get("/b"),
        LastHttpContent.EMPTY_LAST_CONTENT);
    assertThat(seen.messages).hasSize(2);

    channel.writeOutbound(ok());

    assertThat(seen.events).containsExactly(OneExchangeAtATime.Exchange.RESPONSE_COMPLETE);
    assertThat(seen.messages).hasSize(4);
    assertThat(((HttpRequest) seen.messages.get(2)).uri()).isEqualTo("/b");
  }

  @Test
  void interimContinue_doesNotReleaseTheNextRequest() {
    channel.writeInbound(get("/a"), LastHttpContent.EMPTY_LAST_CONTENT, get("/b"));

    channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.CONTINUE));

    assertThat(seen.messages).hasSize(2);
    assertThat(seen.events).isEmpty();
  }

  @Test
  void uploadBody_flowsWhileItsResponseIsWritten() {
    channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/up"));
    channel.writeOutbound(ok());
    channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[] {1})),
        new DefaultLastHttpContent(), get("/next"));

    assertThat(seen.messages).hasSize(4);
  }

  @Test
  void connectionClose_responseWritten_channelClosedAndHeldDropped() {
    HttpRequest close = get("/a");
    close.headers().set(HttpHeaderNames.CONNECTION, "close");
    channel.writeInbound(close, LastHttpContent.EMPTY_LAST_CONTENT, get("/b"),
        LastHttpContent.EMPTY_LAST_CONTENT);

    channel.writeOutbound(ok());

    FullHttpResponse written = channel.readOutbound();
    assertThat(written.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
    assertThat(channel.isOpen()).isFalse();
    assertThat(seen.messages).hasSize(2);
  }

  @Test
  void heldBytesOverLimit_readingPausedUntilReleased() {
    channel.writeInbound(get("/a"), LastHttpContent.EMPTY_LAST_CONTENT, get("/b"));
    int piece = 16 * 1024;
    for (int held = 0; held <= OneExchangeAtATime.MAX_HELD_BYTES; held += piece) {
      channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[piece])));
    }
    assertThat(channel.config().isAutoRead()).isFalse();

    channel.writeOutbound(ok());

    assertThat(channel.config().isAutoRead()).isTrue();
    assertThat(seen.messages).hasSizeGreaterThan(3);
  }
}
