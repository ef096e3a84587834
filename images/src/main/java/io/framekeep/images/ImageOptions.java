package io.framekeep.images;

/**
 * How to render a still.
 *
 * <p>Size: both {@code widthPixels} and {@code heightPixels} 0 keeps the decoded size; only
 * {@code heightPixels} set derives the width from the decoded picture's aspect ratio; both set
 * stretches to exactly that size. A width without a height is a caller error (GetImages rejects
 * it before any decoding).
 *
 * @param format output encoding
 * @param jpegQuality 1..100, used only for JPEG (100 = best quality, least compression)
 * @param widthPixels 0 or 1..{@link #MAX_WIDTH_PIXELS}
 * @param heightPixels 0 or 1..{@link #MAX_HEIGHT_PIXELS}
 */
public record ImageOptions(ImageFormat format, int jpegQuality, int widthPixels,
    int heightPixels) {
  /** Largest output width; the GetImages model's WidthPixels maximum. */
  public static final int MAX_WIDTH_PIXELS = 3840;
  /** Largest output height; the GetImages model's HeightPixels maximum. */
  public static final int MAX_HEIGHT_PIXELS = 2160;
  /** GetImages's JPEGQuality when FormatConfig does not give one. */
  public static final int DEFAULT_JPEG_QUALITY = 80;

  public ImageOptions {
    if (format == null) {
      throw new IllegalArgumentException("format is required");
    }
    if (jpegQuality < 1 || jpegQuality > 100) {
      throw new IllegalArgumentException("jpegQuality must be 1..100: " + jpegQuality);
    }
    if (widthPixels < 0 || widthPixels > MAX_WIDTH_PIXELS
        || heightPixels < 0 || heightPixels > MAX_HEIGHT_PIXELS
        || (widthPixels > 0 && heightPixels == 0)) {
      throw new IllegalArgumentException(
          "invalid size " + widthPixels + "x" + heightPixels);
    }
  }

  /** Native size, the given format, default JPEG quality. */
  public static ImageOptions nativeSize(ImageFormat format) {
    return new ImageOptions(format, DEFAULT_JPEG_QUALITY, 0, 0);
  }

  /**
   * The output size for a decoded picture of {@code sourceWidth} x {@code sourceHeight}, as
   * {@code {width, height}}; a derived width is rounded and kept within 1..{@link
   * #MAX_WIDTH_PIXELS}.
   */
  int[] outputSize(int sourceWidth, int sourceHeight) {
    if (heightPixels == 0) {
      return new int[] {sourceWidth, sourceHeight};
    }
    if (widthPixels > 0) {
      return new int[] {widthPixels, heightPixels};
    }
    long derived = Math.round((double) heightPixels * sourceWidth / sourceHeight);
    return new int[] {(int) Math.max(1, Math.min(MAX_WIDTH_PIXELS, derived)), heightPixels};
  }
}
