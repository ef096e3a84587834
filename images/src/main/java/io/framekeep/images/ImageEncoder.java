package io.framekeep.images;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Encodes a picture as JPEG (with a quality) or PNG using the JDK's javax.imageio writers. */
final class ImageEncoder {
  private ImageEncoder() {}

  static byte[] encode(BufferedImage image, ImageOptions options) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(
        options.format().imageIoName());
    if (!writers.hasNext()) {
      throw new IllegalStateException("the JDK has no " + options.format() + " writer");
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (options.format() == ImageFormat.JPEG) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(options.jpegQuality() / 100f);
      }
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      // Writing to memory cannot fail for I/O reasons.
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
