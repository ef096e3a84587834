package io.framekeep.images;

/**
 * A still could not be made from the given frames: the codec is not available, or the bytes do not
 * decode. Built by the named factories; GetImages reports it as {@code MEDIA_ERROR}.
 */
public final class ImageException extends Exception {
  private static final long serialVersionUID = 1L;

  private ImageException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The codec or the picture format is not one this build can decode. */
  public static ImageException unsupported(String message) {
    return new ImageException(message, null);
  }

  /** The codec is available but the frames or codec private data do not decode. */
  public static ImageException undecodable(String message) {
    return new ImageException(message, null);
  }

  /** Like {@link #unsupported(String)}, caused by {@code cause} (e.g. missing native code). */
  public static ImageException unsupported(String message, Throwable cause) {
    return new ImageException(message, cause);
  }
}
