package io.framekeep.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.server.http.ReadableFileRegion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File regions as a TLS connection sends them: read chunk by chunk, both through a
 * {@link ReadableFileRegion}'s file and through a plain region's {@code transferTo}, and through
 * the pipeline handlers that turn regions into chunks.
 */
class FileRegionInputTest {
  /** Three and a half chunks, so that a region spans whole chunks and a partial one. */
  private static final int FILE_BYTES = FileRegionInput.CHUNK_BYTES * 7 / 2 + 1000;
  private static final long REGION_START = 12_345;

  @TempDir Path dir;
  private byte[] content;
  private FileChannel file;

  /** A region of a shared channel that can be read directly, like the clip writer's slices. */
  private static final class Readable extends DefaultFileRegion implements ReadableFileRegion {
    private final FileChannel channel;

    Readable(FileChannel channel, long position, long count) {
      super(channel, position, count);
      this.channel = channel;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
      long filePosition = position() + offset;
      while (dst.hasRemaining()) {
        int n = channel.read(dst, filePosition);
        if (n < 0) {
          throw new EOFException("file ended at " + filePosition);
        }
        filePosition += n;
      }
    }

    @Override
    protected void deallocate() {
      // The test closes the channel.
    }
  }

  @BeforeEach
  void writeFile() throws IOException {
    content = new byte[FILE_BYTES];
    new Random(42).nextBytes(content);
    Path path = dir.resolve("segment");
    Files.write(path, content);
    file = FileChannel.open(path, StandardOpenOption.READ);
  }

  @AfterEach
  void closeFile() throws IOException {
    file.close();
  }

  private byte[] expected(long count) {
    return Arrays.copyOfRange(content, (int) REGION_START, (int) (REGION_START + count));
  }

  private byte[] drain(FileRegionInput input) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int chunks = 0;
    while (!input.isEndOfInput()) {
      ByteBuf chunk = input.readChunk(UnpooledByteBufAllocator.DEFAULT);
      assertThat(chunk.readableBytes()).isBetween(1, FileRegionInput.CHUNK_BYTES);
      byte[] bytes = new byte[chunk.readableBytes()];
      chunk.readBytes(bytes);
      chunk.release();
      out.writeBytes(bytes);
      chunks++;
      assertThat(input.progress()).isEqualTo(out.size());
    }
    assertThat(chunks).isEqualTo((out.size() + FileRegionInput.CHUNK_BYTES - 1)
        / FileRegionInput.CHUNK_BYTES);
    return out.toByteArray();
  }

  private void readsExactSlice(BiFunction<Long, Long, FileRegion> region) throws IOException {
    long count = FILE_BYTES - REGION_START - 10;
    FileRegionInput input = new FileRegionInput(region.apply(REGION_START, count));

    assertThat(input.length()).isEqualTo(count);
    assertThat(drain(input)).isEqualTo(expected(count));
    assertThat(input.readChunk(UnpooledByteBufAllocator.DEFAULT)).isNull();
    input.close();
  }

  @Test
  void readChunk_readableRegion_readsExactlyTheSliceInChunks() throws IOException {
    readsExactSlice((position, count) -> new Readable(file, position, count));
  }

  @Test
  void readChunk_plainRegion_readsExactlyTheSliceThroughTransferTo() throws IOException {
    readsExactSlice((position, count) -> new DefaultFileRegion(file, position, count));
  }

  @Test
  void readChunk_readableRegionPastEndOfFile_eofException() {
    FileRegionInput input = new FileRegionInput(new Readable(file, FILE_BYTES - 100, 200));

    assertThatThrownBy(() -> input.readChunk(UnpooledByteBufAllocator.DEFAULT))
        .isInstanceOf(EOFException.class);
    input.close();
  }

  @Test
  void close_releasesTheRegionOnce() {
    Readable region = new Readable(file, 0, 10);
    FileRegionInput input = new FileRegionInput(region);

    input.close();
    input.close();

    assertThat(region.refCnt()).isZero();
  }

  @Test
  void pipeline_regionWrittenBetweenBuffers_sentAsChunksInOrder() throws IOException {
    EmbeddedChannel channel = new EmbeddedChannel(new ChunkedWriteHandler(),
        FileRegionChunker.INSTANCE);
    long count = FileRegionInput.CHUNK_BYTES * 2L + 7;
    ByteBuf head = UnpooledByteBufAllocator.DEFAULT.buffer().writeBytes(new byte[] {1, 2, 3});
    ByteBuf tail = UnpooledByteBufAllocator.DEFAULT.buffer().writeBytes(new byte[] {4, 5});

    channel.write(head);
    channel.write(new Readable(file, REGION_START, count));
    channel.writeAndFlush(tail);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object msg = channel.readOutbound(); msg != null; msg = channel.readOutbound()) {
      assertThat(msg).isInstanceOf(ByteBuf.class);
      ByteBuf buf = (ByteBuf) msg;
      byte[] bytes = new byte[buf.readableBytes()];
      buf.readBytes(bytes);
      buf.release();
      out.writeBytes(bytes);
    }
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes(new byte[] {1, 2, 3});
    expected.writeBytes(expected(count));
    expected.writeBytes(new byte[] {4, 5});
    assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
    assertThat(channel.finish()).isFalse();
  }
}
