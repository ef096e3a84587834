package io.framekeep.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.storage.ByteRange;
import io.framekeep.storage.ByteSource;
import io.framekeep.storage.EmbeddedStorage;
import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentMetadata;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.RangeReader;
import io.framekeep.storage.StorageUnavailableException;
import io.framekeep.storage.StreamRecord;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stored bytes on their way to a connection, read from a real embedded storage: the slice writer
 * sends every range in order and waits, without blocking, for sources whose bytes are not local
 * yet (as an object-store backend's are until their ranged GET returns, simulated here by gating
 * readiness of the real sources); and a source can go out as chunks, as a TLS connection needs.
 */
class StoredBytesWritingTest {
  @TempDir Path dir;
  private EmbeddedStorage storage;
  private final List<FragmentRecord> fragments = new ArrayList<>();
  private final List<byte[]> payloads = new ArrayList<>();

  @BeforeEach
  void fill() throws Exception {
    storage = EmbeddedStorage.open(dir, Clock.systemUTC());
    StreamRecord stream = storage.catalog().create(new StreamRecord(0, "cam",
        "arn:aws:kinesisvideo:us-east-1:000000000000:stream/cam/1", null, null, null, "v1",
        "ACTIVE", 1, 24, "HOT"), Map.of());
    long headerId = storage.fragments().putHeader(stream.streamId(), new byte[] {1});
    try (FragmentAppender appender = storage.fragments().openAppender(stream.streamId())) {
      for (int i = 0; i < 3; i++) {
        byte[] payload = ("fragment-" + i + ";").repeat(5000).getBytes(StandardCharsets.US_ASCII);
        payloads.add(payload);
        appender.write(ByteBuffer.wrap(payload));
        fragments.add(appender.commit(new FragmentMetadata(i * 1000L, i * 1000L, 1000, headerId,
            new byte[0])));
      }
    }
  }

  @AfterEach
  void close() throws Exception {
    storage.close();
  }

  @Test
  void fileSliceWriter_sourcesNotReadyYet_waitsThenSendsEveryRangeInOrder() throws Exception {
    List<Response.Slice> slices = List.of(
        new Response.Slice(new ByteRange(fragments.get(2), 10, 20_000)),
        new Response.Slice(ByteRange.whole(fragments.get(0))),
        new Response.Slice(new ByteRange(fragments.get(1), 0, 7)));
    List<CompletableFuture<Void>> gates = new ArrayList<>();
    RangeReader gated = gated(storage.fragments().openRanges(
        slices.stream().map(Response.Slice::range).toList()), gates);
    ByteBuffer prefix = ByteBuffer.wrap("prefix".getBytes(StandardCharsets.US_ASCII));
    long total = prefix.remaining() + 20_000 + payloads.get(0).length + 7;
    Transport transport = new Transport();
    EmbeddedChannel channel = new EmbeddedChannel(transport, new ChannelInboundHandlerAdapter());
    ChannelHandlerContext ctx = channel.pipeline().lastContext();

    ChannelFuture done = FileSliceWriter.write(ctx,
        new Response.FileSlices("video/mp4", prefix, slices, gated, total), "req-1", true);
    assertThat(transport.regions).as("no region before its source is ready").isZero();
    assertThat(transport.body.size()).as("no head before the first source is ready").isZero();
    assertThat((Object) channel.readOutbound()).isNull();

    for (int i = 0; i < gates.size(); i++) { // the writer takes the next source once one is sent
      assertThat(done.isDone()).isFalse();
      gates.get(i).complete(null);
      channel.runPendingTasks();
      assertThat(transport.regions).isEqualTo(i + 1);
    }
    channel.runPendingTasks();

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(prefix.array());
    expected.write(payloads.get(2), 10, 20_000);
    expected.write(payloads.get(0));
    expected.write(payloads.get(1), 0, 7);
    assertThat(done.isSuccess()).isTrue();
    assertThat(transport.body.toByteArray()).isEqualTo(expected.toByteArray());
    assertThat(gates).hasSize(3);
  }

  @Test
  void fileSliceWriter_firstFetchFindsStorageUnavailable_answers503BeforeAnyHead()
      throws Exception {
    List<Response.Slice> slices = List.of(new Response.Slice(ByteRange.whole(fragments.get(0))));
    List<CompletableFuture<Void>> gates = new ArrayList<>();
    RangeReader gated = gated(storage.fragments().openRanges(List.of(slices.get(0).range())),
        gates);
    EmbeddedChannel channel = new EmbeddedChannel(new Transport(), new ChannelInboundHandlerAdapter());

    ChannelFuture done = FileSliceWriter.write(channel.pipeline().lastContext(),
        new Response.FileSlices("video/mp4", ByteBuffer.allocate(0), slices, gated,
            payloads.get(0).length), "req-2", true);
    gates.get(0).completeExceptionally(
        new StorageUnavailableException("object store unavailable", null));
    channel.runPendingTasks();

    FullHttpResponse response = channel.readOutbound();
    assertThat(response.status().code()).isEqualTo(503);
    assertThat(response.headers().get("x-amzn-ErrorType")).startsWith("ServiceUnavailable");
    response.release();
    assertThat((Object) channel.readOutbound()).as("nothing after the error").isNull();
    assertThat(done.isSuccess()).isTrue();
    assertThat(channel.isOpen()).as("the connection stays usable").isTrue();
  }

  @Test
  void fileSliceWriter_laterFetchFails_closesTheConnection() throws Exception {
    List<Response.Slice> slices = List.of(new Response.Slice(ByteRange.whole(fragments.get(0))),
        new Response.Slice(ByteRange.whole(fragments.get(1))));
    List<CompletableFuture<Void>> gates = new ArrayList<>();
    RangeReader gated = gated(storage.fragments().openRanges(
        slices.stream().map(Response.Slice::range).toList()), gates);
    EmbeddedChannel channel = new EmbeddedChannel(new Transport(), new ChannelInboundHandlerAdapter());

    ChannelFuture done = FileSliceWriter.write(channel.pipeline().lastContext(),
        new Response.FileSlices("video/mp4", ByteBuffer.allocate(0), slices, gated,
            payloads.get(0).length + payloads.get(1).length), "req-3", true);
    gates.get(0).complete(null);
    channel.runPendingTasks();
    gates.get(1).completeExceptionally(new IOException("object store unavailable"));
    channel.runPendingTasks();

    assertThat(done.isDone() && !done.isSuccess()).isTrue();
    assertThat(done.cause()).hasMessage("object store unavailable");
    assertThat(channel.isOpen()).isFalse();
  }

  /**
   * What a socket transport does with the body, in the pipeline of an embedded channel: regions
   * are transferred when written (so a write completes once its bytes are out, as on a socket),
   * buffers copied; the head and the last chunk pass.
   */
  private static final class Transport extends ChannelOutboundHandlerAdapter {
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    int regions;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
        throws IOException {
      if (msg instanceof FileRegion region) {
        WritableByteChannel out = Channels.newChannel(body);
        try {
          while (region.transferred() < region.count()) {
            region.transferTo(out, region.transferred());
          }
        } finally {
          region.release();
        }
        regions++;
        promise.setSuccess();
      } else if (msg instanceof ByteBuf buf) {
        buf.readBytes(body, buf.readableBytes());
        buf.release();
        promise.setSuccess();
      } else if (msg instanceof HttpResponse || msg instanceof LastHttpContent) {
        ctx.write(msg, promise);
      } else {
        promise.setFailure(new AssertionError("unexpected message " + msg));
      }
    }
  }

  /** The reader's sources, each ready only once the test completes its gate. */
  private static RangeReader gated(RangeReader reader, List<CompletableFuture<Void>> gates) {
    return new RangeReader() {
      @Override
      public boolean hasNext() {
        return reader.hasNext();
      }

      @Override
      public ByteSource next() {
        ByteSource source = reader.next();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        gates.add(gate);
        return new ByteSource() {
          @Override
          public long lengthBytes() {
            return source.lengthBytes();
          }

          @Override
          public CompletionStage<Void> ready() {
            return gate;
          }

          @Override
          public long transferTo(long offset, long count, WritableByteChannel target)
              throws IOException {
            return source.transferTo(offset, count, target);
          }

          @Override
          public void read(long offset, ByteBuffer dst) throws IOException {
            source.read(offset, dst);
          }

          @Override
          public void close() {
            source.close();
          }
        };
      }

      @Override
      public void close() {
        reader.close();
      }
    };
  }
}
