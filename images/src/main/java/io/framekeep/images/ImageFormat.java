package io.framekeep.images;

/** Encodings of a still image; the constant names are the GetImages {@code Format} values. */
public enum ImageFormat {
  JPEG("jpeg"),
  PNG("png");

  private final String imageIoName;

  ImageFormat(String imageIoName) {
    this.imageIoName = imageIoName;
  }

  /** The javax.imageio format name of the writer. */
  String imageIoName() {
    return imageIoName;
  }
}
