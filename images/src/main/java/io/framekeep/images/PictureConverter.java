package io.framekeep.images;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BICUBIC;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Turns a decoded picture (any pixel format libswscale reads) into a 24-bit BGR {@link
 * BufferedImage} of the requested size, scaling and converting colour in one libswscale pass with
 * bicubic filtering (what the ffmpeg command line uses by default). Stateless and thread-safe.
 */
final class PictureConverter {
  /**
   * Largest decoded picture accepted, in pixels: level 6.2's MaxLumaPs (35,651,584), the largest
   * picture any H.264 or H.265 level allows. Checked before the RGB buffer is allocated.
   */
  static final long MAX_SOURCE_PIXELS = 35_651_584L;
  private static final int BYTES_PER_PIXEL = 3;

  private PictureConverter() {}

  static BufferedImage toImage(AVFrame picture, ImageOptions options) throws ImageException {
    int sourceWidth = picture.width();
    int sourceHeight = picture.height();
    if (sourceWidth <= 0 || sourceHeight <= 0
        || (long) sourceWidth * sourceHeight > MAX_SOURCE_PIXELS) {
      throw ImageException.unsupported(
          "decoded picture size " + sourceWidth + "x" + sourceHeight + " is out of range");
    }
    int[] size = options.outputSize(sourceWidth, sourceHeight);
    int width = size[0];
    int height = size[1];
    SwsContext sws = sws_getContext(sourceWidth, sourceHeight, picture.format(), width, height,
        AV_PIX_FMT_BGR24, SWS_BICUBIC, null, null, (DoublePointer) null);
    if (sws == null || sws.isNull()) {
      throw ImageException.unsupported("cannot convert pixel format " + picture.format());
    }
    int strideBytes = width * BYTES_PER_PIXEL;
    try (BytePointer bgr = new BytePointer((long) strideBytes * height);
        PointerPointer<BytePointer> planes = new PointerPointer<>(bgr, null, null, null);
        IntPointer strides = new IntPointer(strideBytes, 0, 0, 0)) {
      int rows = sws_scale(sws, picture.data(), picture.linesize(), 0, sourceHeight, planes,
          strides);
      if (rows != height) {
        throw ImageException.undecodable("scaling produced " + rows + " of " + height + " rows");
      }
      BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
      byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
      bgr.position(0).get(pixels);
      return image;
    } finally {
      sws_freeContext(sws);
    }
  }
}
