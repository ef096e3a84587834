package io.framekeep.media.mp4;

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
 * <p>Stateless; thread-safety is that of the channels and reader passed in.
 */
public final class ClipWriter {

  /** Copies the bytes of one run to a channel. */
  @FunctionalInterface
  public interface SampleReader {
    /** Writes exactly {@code run.lengthBytes()} bytes of the run's fragment to {@code out}. */
    void transfer(SampleRun run, WritableByteChannel out) throws IOException;
  }

  private ClipWriter() {}

  /**
   * Writes the whole file.
   *
   * @return bytes written, equal to {@link ClipLayout#totalBytes()}
   * @throws IOException from the channels, or when a reader writes a different number of bytes
   *     than its run holds
   */
  public static long write(ClipLayout layout, SampleReader reader, WritableByteChannel out)
      throws IOException {
    ByteBuffer prefix = layout.prefix().duplicate();
    long written = 0;
    while (prefix.hasRemaining()) {
      written += out.write(prefix);
    }
    CountingChannel counting = new CountingChannel(out);
    for (SampleRun run : layout.runs()) {
      long before = counting.count;
      reader.transfer(run, counting);
      if (counting.count - before != run.lengthBytes()) {
        throw new IOException("run " + run + " delivered " + (counting.count - before) + " bytes");
      }
    }
    written += counting.count;
    return written;
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
