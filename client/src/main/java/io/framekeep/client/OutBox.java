package io.framekeep.client;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * An MP4 box to be written: its size is known exactly before any byte goes out, so containers
 * write their headers first and children stream after without intermediate buffers. Immutable.
 */
abstract class OutBox {
  /** Writes a payload of exactly the declared size. */
  @FunctionalInterface
  interface PayloadWriter {
    void write(DataOutputStream out) throws IOException;
  }

  /** Header bytes of a box whose size fits 32 bits (every moov box here). */
  static final int HEADER_BYTES = 8;

  final String type;

  private OutBox(String type) {
    this.type = type;
  }

  abstract long payloadBytes();

  abstract void writePayload(DataOutputStream out) throws IOException;

  final long size() {
    return HEADER_BYTES + payloadBytes();
  }

  final void write(DataOutputStream out) throws IOException {
    long size = size();
    if (size > 0xFFFFFFFFL) {
      throw new IOException("box '" + type + "' of " + size + " bytes needs a 64-bit size");
    }
    int before = out.size();
    out.writeInt((int) size);
    out.writeBytes(type);
    writePayload(out);
    // DataOutputStream.size() wraps at 2 GiB; moov boxes are far smaller.
    if (out.size() - before != size) {
      throw new IllegalStateException("box '" + type + "' wrote " + (out.size() - before)
          + " bytes, declared " + size);
    }
  }

  static OutBox leaf(String type, long payloadBytes, PayloadWriter writer) {
    return new OutBox(type) {
      @Override
      long payloadBytes() {
        return payloadBytes;
      }

      @Override
      void writePayload(DataOutputStream out) throws IOException {
        writer.write(out);
      }
    };
  }

  static OutBox container(String type, List<OutBox> children) {
    long total = children.stream().mapToLong(OutBox::size).sum();
    return new OutBox(type) {
      @Override
      long payloadBytes() {
        return total;
      }

      @Override
      void writePayload(DataOutputStream out) throws IOException {
        for (OutBox child : children) {
          child.write(out);
        }
      }
    };
  }

  /** A box copied whole (header included) from a piece. */
  static OutBox copy(byte[] wholeBox) {
    String type = new String(wholeBox, 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
    return new OutBox(type) {
      @Override
      long payloadBytes() {
        return wholeBox.length - HEADER_BYTES;
      }

      @Override
      void writePayload(DataOutputStream out) throws IOException {
        out.write(wholeBox, HEADER_BYTES, wholeBox.length - HEADER_BYTES);
      }
    };
  }
}
