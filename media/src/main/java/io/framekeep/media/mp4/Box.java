package io.framekeep.media.mp4;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An ISO BMFF box whose exact size is known before any byte is written, so that a whole
 * {@code moov} is sized first and then written once into a buffer of exactly that length.
 *
 * <p>Every box here is below 4 GiB (the {@code moov} is bounded by {@link
 * ProgressiveMp4Builder#MAX_SAMPLES_PER_TRACK}), so the 32-bit size form is always used; the
 * {@code mdat} header, which may need the 64-bit form, is written by {@link Mp4Boxes#mdatHeader}.
 */
public abstract class Box {
  /** Size of a box header in its 32-bit form: size + type. */
  public static final int HEADER_BYTES = 8;

  /** Writes a box body; must put exactly the number of bytes the box declared. */
  @FunctionalInterface
  public interface BodyWriter {
    void write(ByteBuffer out);
  }

  private final String type;

  Box(String type) {
    if (type.length() != 4) {
      throw new IllegalArgumentException("box type " + type);
    }
    this.type = type;
  }

  public String type() {
    return type;
  }

  /** Total size in bytes, header included. */
  public abstract long size();

  abstract void writeBody(ByteBuffer out);

  public final void write(ByteBuffer out) {
    int start = out.position();
    long size = size();
    out.putInt((int) size); // size
    out.put(type.getBytes(StandardCharsets.ISO_8859_1)); // type
    writeBody(out);
    if (out.position() - start != size) {
      throw new IllegalStateException(
          type + " wrote " + (out.position() - start) + " bytes, declared " + size);
    }
  }

  /** A box that only contains other boxes. */
  public static Box container(String type, List<Box> children) {
    long size = HEADER_BYTES;
    for (Box child : children) {
      size += child.size();
    }
    long total = size;
    return new Box(type) {
      @Override
      public long size() {
        return total;
      }

      @Override
      void writeBody(ByteBuffer out) {
        for (Box child : children) {
          child.write(out);
        }
      }
    };
  }

  /** A plain box whose body is {@code bodyBytes} long. */
  public static Box leaf(String type, long bodyBytes, BodyWriter body) {
    long total = HEADER_BYTES + bodyBytes;
    return new Box(type) {
      @Override
      public long size() {
        return total;
      }

      @Override
      void writeBody(ByteBuffer out) {
        body.write(out);
      }
    };
  }

  /** A FullBox (version + 24-bit flags) whose body after the flags is {@code bodyBytes} long. */
  public static Box full(String type, int version, int flags, long bodyBytes, BodyWriter body) {
    return leaf(type, 4 + bodyBytes, out -> {
      out.putInt((version << 24) | (flags & 0xFFFFFF)); // version, flags
      body.write(out);
    });
  }

  /** A box with a fixed-size body followed by child boxes (sample entries, {@code stsd}). */
  public static Box withChildren(String type, long bodyBytes, BodyWriter body, List<Box> children) {
    long size = HEADER_BYTES + bodyBytes;
    for (Box child : children) {
      size += child.size();
    }
    long total = size;
    return new Box(type) {
      @Override
      public long size() {
        return total;
      }

      @Override
      void writeBody(ByteBuffer out) {
        body.write(out);
        for (Box child : children) {
          child.write(out);
        }
      }
    };
  }
}
