package io.framekeep.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stills compared with ffmpeg's own decode of the same frame of the same file: mean absolute
 * difference per RGB sample. Same-size conversion differs from the ffmpeg command line only by
 * rounding (the libraries are different FFmpeg versions); scaled output also by filter details.
 */
class StillExtractorTest {
  /** Same decoder, same colour conversion: only rounding differs. */
  private static final double MAX_MEAN_DIFF_NATIVE = 2.0;
  /** Scaled: the scaler runs once (with colour conversion) here and separately in ffmpeg. */
  private static final double MAX_MEAN_DIFF_SCALED = 6.0;
  private static final long NS_PER_MS = 1_000_000L;

  private static TestVideo h264;

  @BeforeAll
  static void makeMedia() throws Exception {
    h264 = TestVideo.make(VideoCodec.H264);
  }

  @Test
  void render_everyFrameOfAGopWithBFrames_matchesFfmpegDecode() throws Exception {
    List<CodedFrame> gop = h264.clusters.get(0);
    assertThat(gop).hasSize(TestVideo.GOP_FRAMES);
    List<CodedFrame> presentation = inPresentationOrder(gop);
    assertThat(presentation).isNotEqualTo(gop); // B-frames: the orders differ
    long[] targets = presentation.stream().mapToLong(CodedFrame::presentationTimeNs).toArray();

    List<byte[]> images = StillExtractor.render(VideoCodec.H264, h264.codecPrivate, gop, targets,
        ImageOptions.nativeSize(ImageFormat.PNG));

    assertThat(images).hasSize(TestVideo.GOP_FRAMES);
    for (int k : new int[] {0, 1, 2, 3, 13, 27, 28, 29}) {
      BufferedImage image = read(images.get(k));
      assertThat(image.getWidth()).isEqualTo(TestVideo.WIDTH);
      assertThat(meanDiff(image, h264.ffmpegRgb(k, TestVideo.WIDTH, TestVideo.HEIGHT)))
          .as("frame %d", k).isLessThan(MAX_MEAN_DIFF_NATIVE);
    }
    // Neighbouring frames of testsrc2 differ, so a wrong frame would not pass the check above.
    assertThat(meanDiff(read(images.get(5)), h264.ffmpegRgb(20, TestVideo.WIDTH, TestVideo.HEIGHT)))
        .isGreaterThan(MAX_MEAN_DIFF_NATIVE);
  }

  @Test
  void render_secondGopOnItsOwn_matchesFfmpegDecode() throws Exception {
    List<CodedFrame> gop = h264.clusters.get(1);
    CodedFrame seventh = inPresentationOrder(gop).get(7);

    byte[] image = StillExtractor.render(VideoCodec.H264, h264.codecPrivate, gop,
        new long[] {seventh.presentationTimeNs()}, ImageOptions.nativeSize(ImageFormat.PNG)).get(0);

    assertThat(meanDiff(read(image), h264.ffmpegRgb(TestVideo.GOP_FRAMES + 7, TestVideo.WIDTH,
        TestVideo.HEIGHT))).isLessThan(MAX_MEAN_DIFF_NATIVE);
  }

  @Test
  void render_targetBetweenFrames_showsTheFrameBefore() throws Exception {
    List<CodedFrame> gop = h264.clusters.get(0);
    List<CodedFrame> presentation = inPresentationOrder(gop);
    long at = presentation.get(4).presentationTimeNs();
    long between = at + 20 * NS_PER_MS; // frames are 33 ms apart

    List<byte[]> images = StillExtractor.render(VideoCodec.H264, h264.codecPrivate, gop,
        new long[] {at, between, at - 1}, ImageOptions.nativeSize(ImageFormat.PNG));

    assertThat(images.get(1)).isEqualTo(images.get(0));
    assertThat(images.get(2)).isNotEqualTo(images.get(0));
  }

  @Test
  void frameShownAt_beforeFirstFrame_isTheEarliest() {
    List<CodedFrame> frames = List.of(new CodedFrame(new byte[0], 100), new CodedFrame(
        new byte[0], 300), new CodedFrame(new byte[0], 200));

    assertThat(StillExtractor.frameShownAt(frames, 50)).isEqualTo(0);
    assertThat(StillExtractor.frameShownAt(frames, 250)).isEqualTo(2);
    assertThat(StillExtractor.frameShownAt(frames, 300)).isEqualTo(1);
    assertThat(StillExtractor.frameShownAt(frames, 10_000)).isEqualTo(1);
  }

  @Test
  void render_heightOnly_derivesWidthFromAspectRatio() throws Exception {
    List<CodedFrame> gop = h264.clusters.get(0);
    long target = inPresentationOrder(gop).get(10).presentationTimeNs();

    BufferedImage image = read(StillExtractor.render(VideoCodec.H264, h264.codecPrivate, gop,
        new long[] {target}, new ImageOptions(ImageFormat.PNG, 80, 0, 120)).get(0));

    assertThat(image.getWidth()).isEqualTo(160);
    assertThat(image.getHeight()).isEqualTo(120);
    assertThat(meanDiff(image, h264.ffmpegRgb(10, 160, 120))).isLessThan(MAX_MEAN_DIFF_SCALED);
  }

  @Test
  void render_widthAndHeight_stretches() throws Exception {
    List<CodedFrame> gop = h264.clusters.get(0);

    BufferedImage image = read(StillExtractor.render(VideoCodec.H264, h264.codecPrivate, gop,
        new long[] {gop.get(0).presentationTimeNs()}, new ImageOptions(ImageFormat.PNG, 80, 400,
            100)).get(0));

    assertThat(image.getWidth()).isEqualTo(400);
    assertThat(image.getHeight()).isEqualTo(100);
  }

  @Test
  void render_jpegQuality_tradesSizeForFidelity() throws Exception {
    List<CodedFrame> gop = h264.clusters.get(0);
    long[] target = {gop.get(0).presentationTimeNs()};

    byte[] low = StillExtractor.render(VideoCodec.H264, h264.codecPrivate, gop, target,
        new ImageOptions(ImageFormat.JPEG, 10, 0, 0)).get(0);
    byte[] high = StillExtractor.render(VideoCodec.H264, h264.codecPrivate, gop, target,
        new ImageOptions(ImageFormat.JPEG, 95, 0, 0)).get(0);

    assertThat(low.length).isLessThan(high.length);
    byte[] reference = h264.ffmpegRgb(0, TestVideo.WIDTH, TestVideo.HEIGHT);
    assertThat(meanDiff(read(high), reference)).isLessThan(MAX_MEAN_DIFF_SCALED);
    assertThat(meanDiff(read(low), reference)).isGreaterThan(meanDiff(read(high), reference));
  }

  @Test
  void render_h265_matchesFfmpegDecode() throws Exception {
    TestVideo h265 = TestVideo.make(VideoCodec.H265);
    List<CodedFrame> gop = h265.clusters.get(0);
    long target = inPresentationOrder(gop).get(11).presentationTimeNs();

    byte[] image = StillExtractor.render(VideoCodec.H265, h265.codecPrivate, gop,
        new long[] {target}, ImageOptions.nativeSize(ImageFormat.PNG)).get(0);

    assertThat(meanDiff(read(image), h265.ffmpegRgb(11, TestVideo.WIDTH, TestVideo.HEIGHT)))
        .isLessThan(MAX_MEAN_DIFF_NATIVE);
  }

  @Test
  void render_garbageFrames_throwsImageException() {
    Random random = new Random(42);
    List<CodedFrame> frames = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      byte[] junk = new byte[500];
      random.nextBytes(junk);
      frames.add(new CodedFrame(junk, i * 33 * NS_PER_MS));
    }

    assertThatThrownBy(() -> StillExtractor.render(VideoCodec.H264, h264.codecPrivate, frames,
        new long[] {0}, ImageOptions.nativeSize(ImageFormat.JPEG)))
        .isInstanceOf(ImageException.class);
  }

  @Test
  void render_invalidCodecPrivateData_throwsImageException() {
    List<CodedFrame> gop = h264.clusters.get(0);

    assertThatThrownBy(() -> StillExtractor.render(VideoCodec.H264, new byte[] {1, 2, 3}, gop,
        new long[] {0}, ImageOptions.nativeSize(ImageFormat.JPEG)))
        .isInstanceOf(ImageException.class);
  }

  @Test
  void imageOptions_widthWithoutHeight_isRejected() {
    assertThatThrownBy(() -> new ImageOptions(ImageFormat.PNG, 80, 100, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ImageOptions(ImageFormat.PNG, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ImageOptions(ImageFormat.PNG, 80, 3841, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<CodedFrame> inPresentationOrder(List<CodedFrame> frames) {
    return frames.stream().sorted(Comparator.comparingLong(CodedFrame::presentationTimeNs))
        .toList();
  }

  static BufferedImage read(byte[] encoded) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(encoded));
  }

  /** Mean absolute difference per sample between an image and packed RGB24 of the same size. */
  static double meanDiff(BufferedImage image, byte[] rgb) {
    assertThat(rgb).hasSize(image.getWidth() * image.getHeight() * 3);
    long sum = 0;
    int i = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int p = image.getRGB(x, y);
        sum += Math.abs(((p >> 16) & 0xff) - (rgb[i++] & 0xff));
        sum += Math.abs(((p >> 8) & 0xff) - (rgb[i++] & 0xff));
        sum += Math.abs((p & 0xff) - (rgb[i++] & 0xff));
      }
    }
    return (double) sum / rgb.length;
  }
}
