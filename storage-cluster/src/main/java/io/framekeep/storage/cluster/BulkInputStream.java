package io.framekeep.storage.cluster;

import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that is read in bulk: its single-byte {@link #read()} goes through
 * {@link #read(byte[], int, int)}, which subclasses implement. Media bodies are always copied in
 * blocks, so the single-byte path only has to be correct, not fast.
 */
abstract class BulkInputStream extends InputStream {
  @Override
  public final int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public abstract int read(byte[] buffer, int offset, int length) throws IOException;
}
