package io.framekeep.storage.cluster;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The on-disk format of one cached block: bytes {@code [index * blockBytes, index * blockBytes + L)} of one
 * object, {@code L <= blockBytes} (shorter only for an object's last block), checked in chunks so that a reader
 * verifies each chunk before handing out any of its bytes, with one chunk buffer whatever the block size.
 *
 * <pre>
 * offset  size  field
 * 0       4     magic "FKCB"
 * 4       4     format version, 1
 * 8       4     L, the block's length in bytes
 * 12      4     C, the chunk size in bytes
 * 16      4*N   CRC-32C of each chunk i = bytes [i*C, min((i+1)*C, L)), N = blockBytes / C slots (unused ones 0)
 * 16+4*N  L     the block's bytes
 * </pre>
 *
 * All integers big-endian. A file is valid when its magic, version and chunk size match, and its size is
 * exactly header + L; a chunk is valid when its CRC matches. A file is written under a temporary name and
 * renamed into place once complete, so a crash mid-write leaves no file under a block's name; a torn or
 * overwritten file (disk full, bit rot, an operator) fails one of the checks and is fetched again.
 *
 * <p>Not thread-safe: one reader or writer per instance; any number of readers of one file.
 */
final class CacheBlockFile implements AutoCloseable {

  static final int MAGIC = 0x464b4342; // "FKCB"
  static final int VERSION = 1;
  static final int FIXED_HEADER_BYTES = 16;

  private final FileChannel channel;
  private final int chunkBytes;
  private final int headerBytes;
  private final int lengthBytes;
  private final int[] chunkCrcs;

  private CacheBlockFile(FileChannel channel, int chunkBytes, int headerBytes, int lengthBytes, int[] chunkCrcs) {
    this.channel = channel;
    this.chunkBytes = chunkBytes;
    this.headerBytes = headerBytes;
    this.lengthBytes = lengthBytes;
    this.chunkCrcs = chunkCrcs;
  }

  /** Header size of a block of at most {@code blockBytes} in chunks of {@code chunkBytes}. */
  static int headerBytes(int blockBytes, int chunkBytes) {
    return FIXED_HEADER_BYTES + 4 * (blockBytes / chunkBytes);
  }

  /**
   * Copies {@code in} (at most {@code blockBytes}) into a new file {@code target}; returns the block's length.
   * {@code target} is left incomplete if this throws; the caller deletes it.
   *
   * @throws StoreReadException wrapping a failure of {@code in} (the object store), to tell it from a failure
   *     of the local disk
   */
  static int write(InputStream in, Path target, int blockBytes, int chunkBytes) throws IOException {
    int header = headerBytes(blockBytes, chunkBytes);
    int[] crcs = new int[blockBytes / chunkBytes];
    byte[] chunk = new byte[chunkBytes];
    int length = 0;
    try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      out.position(header);
      for (int i = 0; length < blockBytes; i++) {
        int n = readChunk(in, chunk);
        if (n == 0) {
          break;
        }
        if (length + n > blockBytes) {
          throw new StoreReadException(new IOException("object store sent more than the block's " + blockBytes
              + " bytes"));
        }
        CRC32C crc = new CRC32C();
        crc.update(chunk, 0, n);
        crcs[i] = (int) crc.getValue();
        writeFully(out, ByteBuffer.wrap(chunk, 0, n));
        length += n;
        if (n < chunkBytes) {
          break;
        }
      }
      if (length == 0) {
        throw new StoreReadException(new EOFException("object store sent an empty block"));
      }
      ByteBuffer h = ByteBuffer.allocate(header);
      h.putInt(MAGIC).putInt(VERSION).putInt(length).putInt(chunkBytes);
      for (int crc : crcs) {
        h.putInt(crc);
      }
      h.flip();
      out.position(0);
      writeFully(out, h);
    }
    return length;
  }

  /** Fills {@code chunk} from {@code in} as far as it goes; returns the count (less only at the end). */
  private static int readChunk(InputStream in, byte[] chunk) throws StoreReadException {
    int at = 0;
    try {
      while (at < chunk.length) {
        int n = in.read(chunk, at, chunk.length - at);
        if (n < 0) {
          break;
        }
        at += n;
      }
    } catch (IOException e) {
      throw new StoreReadException(e);
    }
    return at;
  }

  private static void writeFully(FileChannel out, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      out.write(bytes);
    }
  }

  /**
   * Opens a block file and checks its header and size.
   *
   * @throws java.nio.file.NoSuchFileException if there is no such file (evicted meanwhile)
   * @throws CorruptBlockException if the header or the size is wrong
   */
  static CacheBlockFile open(Path file, int blockBytes, int chunkBytes) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      int header = headerBytes(blockBytes, chunkBytes);
      long size = channel.size();
      if (size < header) {
        throw new CorruptBlockException(file + ": " + size + " bytes, shorter than its header");
      }
      ByteBuffer h = ByteBuffer.allocate(header);
      readFully(channel, h, 0);
      h.flip();
      int magic = h.getInt();
      int version = h.getInt();
      int length = h.getInt();
      int chunk = h.getInt();
      if (magic != MAGIC || version != VERSION || chunk != chunkBytes || length <= 0 || length > blockBytes
          || size != (long) header + length) {
        throw new CorruptBlockException(file + ": bad header or size (length " + length + ", file " + size
            + " bytes)");
      }
      int[] crcs = new int[blockBytes / chunkBytes];
      for (int i = 0; i < crcs.length; i++) {
        crcs[i] = h.getInt();
      }
      return new CacheBlockFile(channel, chunkBytes, header, length, crcs);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  int lengthBytes() {
    return lengthBytes;
  }

  /**
   * Reads chunk {@code index} into {@code into} (cleared first, at least one chunk of capacity) and checks it;
   * on return {@code into} is flipped, holding the verified chunk.
   *
   * @throws CorruptBlockException if the chunk's CRC does not match
   */
  void readChunk(int index, ByteBuffer into) throws IOException {
    long start = (long) index * chunkBytes;
    int n = (int) Math.min(chunkBytes, lengthBytes - start);
    into.clear().limit(n);
    readFully(channel, into, headerBytes + start);
    into.flip();
    CRC32C crc = new CRC32C();
    crc.update(into.duplicate());
    if ((int) crc.getValue() != chunkCrcs[index]) {
      throw new CorruptBlockException("chunk " + index + " fails its checksum");
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
    long at = position;
    while (into.hasRemaining()) {
      int n = channel.read(into, at);
      if (n < 0) {
        throw new CorruptBlockException("block file ends early");
      }
      at += n;
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** A cached block fails its checks: it is dropped and fetched again, never served. */
  static final class CorruptBlockException extends IOException {
    private static final long serialVersionUID = 1L;

    CorruptBlockException(String message) {
      super(message);
    }
  }

  /** Reading from the object store failed while filling a block (as opposed to writing the local file). */
  static final class StoreReadException extends IOException {
    private static final long serialVersionUID = 1L;

    StoreReadException(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
