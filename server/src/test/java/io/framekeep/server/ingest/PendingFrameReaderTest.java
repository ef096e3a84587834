package io.framekeep.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentMetadata;
import io.framekeep.storage.FragmentRecord;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PendingFrameReaderTest {
  /** A pending fragment held in memory, counting the reads made of it. */
  private static final class MemoryAppender implements FragmentAppender {
    byte[] pending;
    int reads;

    MemoryAppender(byte[] pending) {
      this.pending = pending;
    }

    @Override
    public void readPending(long offset, ByteBuffer dst) throws EOFException {
      if (offset + dst.remaining() > pending.length) {
        throw new EOFException();
      }
      reads++;
      dst.put(pending, (int) offset, dst.remaining());
    }

    @Override
    public long pendingBytes() {
      return pending.length;
    }

    @Override
    public void write(ByteBuffer bytes) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<FragmentRecord> commitAsync(FragmentMetadata metadata) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long nextSequence() {
      return 1;
    }

    @Override
    public void discard() {}

    @Override
    public void close() {}
  }

  private static byte[] bytes(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (i * 31 + seed);
    }
    return b;
  }

  private static byte[] copy(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @Test
  void read_consecutiveFramesOfAMegabyte_everyFrameExactInFiveReads() throws Exception {
    byte[] fragment = bytes(1_000_000, 7);
    MemoryAppender appender = new MemoryAppender(fragment);
    PendingFrameReader reader = new PendingFrameReader(appender);
    int frameBytes = 10_000;

    for (int offset = 0; offset < fragment.length; offset += frameBytes) {
      ByteBuffer frame = reader.read(offset, frameBytes);
      byte[] expected = java.util.Arrays.copyOfRange(fragment, offset, offset + frameBytes);
      assertThat(copy(frame)).as("frame at %d", offset).isEqualTo(expected);
    }
    assertThat(appender.reads).isLessThanOrEqualTo(
        1_000_000 / (PendingFrameReader.WINDOW_BYTES - frameBytes) + 1);
  }

  @Test
  void read_frameLargerThanTheWindow_readWholeOnItsOwn() throws Exception {
    byte[] fragment = bytes(PendingFrameReader.WINDOW_BYTES * 3, 1);
    PendingFrameReader reader = new PendingFrameReader(new MemoryAppender(fragment));

    ByteBuffer big = reader.read(5, PendingFrameReader.WINDOW_BYTES * 2);

    assertThat(copy(big)).isEqualTo(
        java.util.Arrays.copyOfRange(fragment, 5, 5 + PendingFrameReader.WINDOW_BYTES * 2));
    assertThat(copy(reader.read(0, 3))).isEqualTo(new byte[] {fragment[0], fragment[1], fragment[2]});
  }

  @Test
  void reset_nextFragment_readsItsBytesNotTheWindowsOld() throws Exception {
    MemoryAppender appender = new MemoryAppender(bytes(1000, 1));
    PendingFrameReader reader = new PendingFrameReader(appender);
    reader.read(0, 100);
    appender.pending = bytes(1000, 2);

    reader.reset();

    assertThat(copy(reader.read(0, 100)))
        .isEqualTo(java.util.Arrays.copyOfRange(appender.pending, 0, 100));
  }

  @Test
  void read_frameBeforeTheWindow_refills() throws Exception {
    byte[] fragment = bytes(PendingFrameReader.WINDOW_BYTES * 2, 3);
    PendingFrameReader reader = new PendingFrameReader(new MemoryAppender(fragment));
    reader.read(PendingFrameReader.WINDOW_BYTES, 10);

    assertThat(copy(reader.read(0, 10)))
        .isEqualTo(java.util.Arrays.copyOfRange(fragment, 0, 10));
  }
}
