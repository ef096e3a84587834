package io.framekeep.media.mp4;

import io.framekeep.media.MediaFormatException;
import io.framekeep.media.codec.AnnexB;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.function.IntFunction;
import java.util.function.IntToLongFunction;

/**
 * Writes a {@link ClipLayout} as one complete MP4 to a channel: the prefix, then every run in
 * order. Used where a plain byte stream is wanted (files, the CLI, tests); the server instead sends
 * the prefix and then each run as a zero-copy file region.
 *
 * <p>Plain runs go straight from the reader to the channel. A run flagged {@link
 * SampleRun#annexBToLengthPrefixed()} (one Annex-B frame) is read into memory, converted with
 * {@link AnnexB#toLengthPrefixed} and then written; the two buffers this needs are reused across
 * runs and grow to the largest such frame, at most {@link #MAX_CONVERTED_FRAME_BYTES}.
 *
 * <p>Stateless; thread-safety is that of the channels and reader passed in.
 */
public final class ClipWriter {

  /** Copies the bytes of one run to a channel. */
  @FunctionalInterface
  public interface SampleReader {
    /**
     * Writes exactly {@code run.lengthBytes()} stored bytes of the run's fragment to {@code out},
     * as they are (the writer converts Annex-B runs itself).
     */
    void transfer(SampleRun run, WritableByteChannel out) throws IOException;
  }

  /**
   * Largest Annex-B frame converted in memory: a KVS fragment, and so any frame in it, is at most
   * 50 MB (spec §5.1); the converted form adds at most a quarter (4-byte prefixes replacing
   * 3-byte start codes), so 64 MiB covers both buffers' contents.
   */
  public static final int MAX_CONVERTED_FRAME_BYTES = 64 << 20;

  private ClipWriter() {}

  /**
   * Writes the whole file.
   *
   * @return bytes written, equal to {@link ClipLayout#totalBytes()}
   * @throws IOException from the channels, when a reader writes a different number of bytes than
   *     its run holds, or when an Annex-B run's bytes no longer convert to its output size
   */
  public static long write(ClipLayout layout, SampleReader reader, WritableByteChannel out)
      throws IOException {
    ByteBuffer prefix = layout.prefix().duplicate();
    long written = 0;
    while (prefix.hasRemaining()) {
      written += out.write(prefix);
    }
    CountingChannel counting = new CountingChannel(out);
    Converter converter = new Converter();
    for (SampleRun run : layout.runs()) {
      long before = counting.count;
      if (run.annexBToLengthPrefixed()) {
        converter.write(run, reader, counting);
      } else {
        reader.transfer(run, counting);
      }
      if (counting.count - before != run.outputBytes()) {
        throw new IOException("run " + run + " delivered " + (counting.count - before) + " bytes");
      }
    }
    written += counting.count;
    return written;
  }

  /** Reads one Annex-B frame, converts it, writes it; keeps its buffers for the next frame. */
  private static final class Converter {
    private ByteBuffer frame = ByteBuffer.allocate(0);
    private ByteBuffer converted = ByteBuffer.allocate(0);

    void write(SampleRun run, SampleReader reader, WritableByteChannel out) throws IOException {
      if (run.lengthBytes() > MAX_CONVERTED_FRAME_BYTES
          || run.outputBytes() > MAX_CONVERTED_FRAME_BYTES) {
        throw new IOException("run " + run + " is larger than " + MAX_CONVERTED_FRAME_BYTES
            + " bytes, the most converted in memory");
      }
      frame = sized(frame, (int) run.lengthBytes());
      reader.transfer(run, new BufferChannel(frame));
      if (frame.hasRemaining()) {
        throw new IOException("run " + run + " delivered " + frame.position() + " bytes");
      }
      frame.flip();
      converted = sized(converted, (int) run.outputBytes());
      try {
        AnnexB.toLengthPrefixed(frame, converted);
      } catch (MediaFormatException e) {
        throw new IOException("run " + run + " no longer holds the Annex-B frame indexed at ingest",
            e);
      }
      if (converted.hasRemaining()) {
        throw new IOException("run " + run + " converted to " + converted.position() + " bytes");
      }
      converted.flip();
      while (converted.hasRemaining()) {
        out.write(converted);
      }
    }

    /** A cleared buffer whose limit is {@code size}, reusing {@code buffer} when large enough. */
    private static ByteBuffer sized(ByteBuffer buffer, int size) {
      ByteBuffer b = buffer.capacity() >= size ? buffer : ByteBuffer.allocate(size);
      b.clear().limit(size);
      return b;
    }
  }

  /** Collects what a reader writes into a fixed buffer; refuses bytes beyond its limit. */
  private static final class BufferChannel implements WritableByteChannel {
    private final ByteBuffer target;

    BufferChannel(ByteBuffer target) {
      this.target = target;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      int n = src.remaining();
      if (n > target.remaining()) {
        throw new IOException("reader wrote more bytes than the run holds");
      }
      target.put(src);
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  /**
   * A reader over fragment payloads stored in files.
   *
   * @param channelOf the file holding fragment {@code i}
   * @param payloadPositionOf the position of fragment {@code i}'s first payload byte in that file
   */
  public static SampleReader fromFiles(
      IntFunction<FileChannel> channelOf, IntToLongFunction payloadPositionOf) {
    return (run, out) -> {
      FileChannel file = channelOf.apply(run.fragmentIndex());
      long position = payloadPositionOf.applyAsLong(run.fragmentIndex()) + run.offsetInFragment();
      long remaining = run.lengthBytes();
      while (remaining > 0) {
        long n = file.transferTo(position, remaining, out);
        if (n <= 0) {
          throw new IOException("fragment " + run.fragmentIndex() + " ends before run " + run);
        }
        position += n;
        remaining -= n;
      }
    };
  }

  /** Counts the bytes a reader writes through it. */
  private static final class CountingChannel implements WritableByteChannel {
    private final WritableByteChannel delegate;
    private long count;

    CountingChannel(WritableByteChannel delegate) {
      this.delegate = delegate;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      int n = delegate.write(src);
      count += n;
      return n;
    }

    @Override
    public boolean isOpen() {
      return delegate.isOpen();
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }
}
