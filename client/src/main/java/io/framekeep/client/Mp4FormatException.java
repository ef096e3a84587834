package io.framekeep.client;

import java.io.IOException;

/**
 * A GetClip piece that cannot be read or joined: malformed boxes, or a structure the stitcher does
 * not support (e.g. a codec configuration that changes between pieces). Built only by the named
 * factories.
 */
public final class Mp4FormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private Mp4FormatException(String message) {
    super(message);
  }

  /** The bytes break the MP4 box syntax or a stated size. */
  static Mp4FormatException malformed(String message) {
    return new Mp4FormatException("malformed MP4: " + message);
  }

  /** Valid MP4 that the stitcher cannot join. */
  static Mp4FormatException unsupported(String message) {
    return new Mp4FormatException("cannot join MP4 pieces: " + message);
  }
}
