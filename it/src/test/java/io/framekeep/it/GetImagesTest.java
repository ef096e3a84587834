package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Format;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.GetImagesRequest;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.GetImagesResponse;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Image;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ImageError;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ImageSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.NoDataRetentionException;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ResourceNotFoundException;

/**
 * GetImages through the AWS SDK: {@link TestMedia#h264Aac()} (1 s GOPs with B-frames, one fragment
 * per GOP) sampled every 200 ms gives an image at every instant, each compared with ffmpeg's decode
 * of the source frame shown at that instant (mean absolute difference per RGB sample).
 */
class GetImagesTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();
  private static final String STREAM = "images";
  private static final String AUDIO_ONLY = "images-audio-only";
  private static final String NO_RETENTION = "images-no-retention";
  /** PNG is lossless: only rounding differs between our decode and ffmpeg's. */
  private static final double MAX_MEAN_DIFF_PNG = 2.0;
  /** JPEG at the default quality 80, scaled: compression and filter details. */
  private static final double MAX_MEAN_DIFF_SCALED_JPEG = 8.0;
  private static final int WIDTH = 320;
  private static final int HEIGHT = 240;

  @TempDir static Path tmp;

  private static Streams.Ingest ingest;
  private static Streams.Ingest audioIngest;
  private static KinesisVideoArchivedMediaClient images;
  /** Presentation times (ms, file time line) of the source video frames, in presentation order. */
  private static List<Long> sourcePtsMs;

  @BeforeAll
  static void upload() throws IOException {
    KinesisVideoClient kv = SERVER.kinesisVideo();
    Streams.create(kv, STREAM, 24);
    Streams.create(kv, AUDIO_ONLY, 24);
    Streams.create(kv, NO_RETENTION, 0);
    ingest = Streams.ingestTestMedia(kv, STREAM);
    audioIngest = Streams.ingest(kv, AUDIO_ONLY, Files.newInputStream(audioOnlyMkv()));
    images = SERVER.archivedMedia(Streams.dataEndpoint(kv, STREAM, APIName.GET_IMAGES));
    assertThat(Streams.awaitFragments(images, STREAM, Streams.wholeIngestByProducerTime(ingest),
        TestMedia.DURATION_SECONDS)).hasSize(TestMedia.DURATION_SECONDS);
    sourcePtsMs = Ffmpeg.videoFrames(TestMedia.h264Aac()).stream().map(Ffmpeg.Frame::ptsMs)
        .sorted().toList();
    assertThat(sourcePtsMs).hasSize(TestMedia.VIDEO_FRAME_COUNT);
  }

  @Test
  void getImages_every200msOverOneSecondGops_everyInstantMatchesSource() throws IOException {
    Instant start = ingest.producerStart().plusMillis(100);
    Instant end = ingest.producerStart().plusMillis(9_900);

    List<Image> all = allPages(r -> r.startTimestamp(start).endTimestamp(end)
        .samplingInterval(200).format(Format.PNG).maxResults(100L), 25);

    assertThat(all).hasSize(50);
    List<Integer> frameIndices = new ArrayList<>();
    for (int k = 0; k < all.size(); k++) {
      Image image = all.get(k);
      assertThat(image.timeStamp()).isEqualTo(start.plusMillis(200L * k));
      assertThat(image.error()).as("instant %d", k).isNull();
      frameIndices.add(frameShownAt(100 + 200L * k));
    }
    List<byte[]> reference = ffmpegFrames(frameIndices, WIDTH, HEIGHT);
    for (int k = 0; k < all.size(); k++) {
      BufferedImage decoded = decode(all.get(k));
      assertThat(decoded.getWidth()).isEqualTo(WIDTH);
      assertThat(decoded.getHeight()).isEqualTo(HEIGHT);
      assertThat(meanDiff(decoded, reference.get(k))).as("instant %d (source frame %d)", k,
          frameIndices.get(k)).isLessThan(MAX_MEAN_DIFF_PNG);
    }
  }

  /**
   * A fragment's stored length is its video track's span, which starts after the fragment's
   * timestamp when its cluster opens with an audio block ahead of the key frame; the instants
   * between that length's end and the next fragment's start still show the fragment's last video
   * frames, never NO_MEDIA.
   */
  @Test
  void getImages_instantPastStoredLengthBeforeNextFragment_imageOfSourceFrame() throws IOException {
    List<Fragment> fragments = Streams.listAll(images, STREAM,
        Streams.wholeIngestByProducerTime(ingest), null);
    Instant gap = null;
    for (int i = 0; i + 1 < fragments.size() && gap == null; i++) {
      Instant lengthEnd = fragments.get(i).producerTimestamp()
          .plusMillis(fragments.get(i).fragmentLengthInMilliseconds());
      if (lengthEnd.isBefore(fragments.get(i + 1).producerTimestamp())) {
        gap = lengthEnd;
      }
    }
    assertThat(gap).as("a fragment whose length ends before the next starts (audio-first"
        + " clusters)").isNotNull();
    Instant instant = gap;

    List<Image> all = allPages(r -> r.startTimestamp(instant).endTimestamp(instant.plusMillis(1))
        .samplingInterval(200).format(Format.PNG), 25);

    assertThat(all).hasSize(1);
    assertThat(all.get(0).error()).as("image at %s", instant).isNull();
    int frame = frameShownAt(instant.toEpochMilli() - ingest.producerStart().toEpochMilli());
    assertThat(meanDiff(decode(all.get(0)), ffmpegFrames(List.of(frame), WIDTH, HEIGHT).get(0)))
        .as("source frame %d", frame).isLessThan(MAX_MEAN_DIFF_PNG);
  }

  /**
   * A stream with 2 s GOPs: instants up to 1.8 s after a key frame need the decoder to run through
   * most of a fragment. The source is {@link TestMedia#h264Aac(int, int)} 8 s long with 60-frame
   * GOPs, so it has four clusters, one per GOP.
   */
  @Test
  void getImages_every200msOverTwoSecondGops_everyInstantMatchesSource() throws IOException {
    String stream = "images-2s-gop";
    Path mkv = TestMedia.h264Aac(8, 60);
    assertThat(Ffmpeg.clusterTimecodesMs(mkv)).as("one cluster per 2 s GOP").hasSize(4);
    List<Long> ptsMs = Ffmpeg.videoFrames(mkv).stream().map(Ffmpeg.Frame::ptsMs).sorted()
        .toList();
    assertThat(ptsMs).hasSize(240);
    KinesisVideoClient kv = SERVER.kinesisVideo();
    Streams.create(kv, stream, 24);
    Streams.Ingest gop2 = Streams.ingest(kv, stream, Files.newInputStream(mkv));
    assertThat(Streams.awaitFragments(images, stream, Streams.wholeIngestByProducerTime(gop2), 4))
        .hasSize(4);
    Instant start = gop2.producerStart().plusMillis(100);
    Instant end = gop2.producerStart().plusMillis(7_900);

    List<Image> all = new ArrayList<>();
    GetImagesResponse page = null;
    do {
      String token = page == null ? null : page.nextToken();
      page = images.getImages(GetImagesRequest.builder().streamName(stream)
          .imageSelectorType(ImageSelectorType.PRODUCER_TIMESTAMP).startTimestamp(start)
          .endTimestamp(end).samplingInterval(200).format(Format.PNG).maxResults(100L)
          .nextToken(token).build());
      all.addAll(page.images());
    } while (page.nextToken() != null);

    assertThat(all).hasSize(40);
    List<Integer> frameIndices = new ArrayList<>();
    for (int k = 0; k < all.size(); k++) {
      assertThat(all.get(k).timeStamp()).isEqualTo(start.plusMillis(200L * k));
      assertThat(all.get(k).error()).as("instant %d", k).isNull();
      frameIndices.add(frameShownAt(ptsMs, 100 + 200L * k));
    }
    List<byte[]> reference = ffmpegFrames(mkv, frameIndices, WIDTH, HEIGHT);
    for (int k = 0; k < all.size(); k++) {
      BufferedImage decoded = decode(all.get(k));
      assertThat(decoded.getWidth()).isEqualTo(WIDTH);
      assertThat(decoded.getHeight()).isEqualTo(HEIGHT);
      assertThat(meanDiff(decoded, reference.get(k))).as("instant %d (source frame %d)", k,
          frameIndices.get(k)).isLessThan(MAX_MEAN_DIFF_PNG);
    }
  }

  @Test
  void getImages_jpegWithHeightOnly_scalesByAspectRatio() throws IOException {
    Instant at = ingest.producerStart().plusMillis(5_050);

    List<Image> page = images.getImages(request(r -> r.startTimestamp(at).endTimestamp(at)
        .samplingInterval(200).format(Format.JPEG).heightPixels(120)
        .formatConfigWithStrings(Map.of("JPEGQuality", "80")))).images();

    assertThat(page).hasSize(1);
    BufferedImage decoded = decode(page.get(0));
    assertThat(decoded.getWidth()).isEqualTo(160);
    assertThat(decoded.getHeight()).isEqualTo(120);
    byte[] reference = ffmpegFrames(List.of(frameShownAt(5_050)), 160, 120).get(0);
    assertThat(meanDiff(decoded, reference)).isLessThan(MAX_MEAN_DIFF_SCALED_JPEG);
  }

  @Test
  void getImages_maxResultsSeven_pagesWithNextToken() {
    Instant start = ingest.producerStart().plusMillis(1_000);

    List<Image> all = allPages(r -> r.startTimestamp(start)
        .endTimestamp(start.plusMillis(1_800)).samplingInterval(200).format(Format.JPEG)
        .maxResults(7L), 7);

    assertThat(all).extracting(Image::timeStamp).containsExactlyElementsOf(
        java.util.stream.IntStream.range(0, 10).mapToObj(k -> start.plusMillis(200L * k))
            .toList());
    assertThat(all).allSatisfy(i -> assertThat(i.imageContent()).isNotEmpty());
  }

  @Test
  void getImages_outsideTheMedia_noMedia() {
    Instant p = ingest.producerStart();

    List<Image> before = images.getImages(request(r -> r.startTimestamp(p.minusSeconds(2))
        .endTimestamp(p.minusSeconds(1)).samplingInterval(500).format(Format.PNG))).images();
    List<Image> across = images.getImages(request(r -> r.startTimestamp(p.plusMillis(9_500))
        .endTimestamp(p.plusMillis(11_500)).samplingInterval(1_000).format(Format.PNG))).images();

    assertThat(before).hasSize(3).allSatisfy(i -> {
      assertThat(i.error()).isEqualTo(ImageError.NO_MEDIA);
      assertThat(i.imageContent()).isNull();
    });
    assertThat(across).extracting(Image::error)
        .containsExactly(null, ImageError.NO_MEDIA, ImageError.NO_MEDIA);
  }

  @Test
  void getImages_audioOnlyStream_mediaError() {
    Instant p = audioIngest.producerStart();

    List<Image> page = images.getImages(GetImagesRequest.builder().streamName(AUDIO_ONLY)
        .imageSelectorType(ImageSelectorType.PRODUCER_TIMESTAMP)
        .startTimestamp(p.plusMillis(100)).endTimestamp(p.plusMillis(1_900)).samplingInterval(200)
        .format(Format.JPEG).build()).images();

    assertThat(page).hasSize(10).allSatisfy(i -> {
      assertThat(i.error()).isEqualTo(ImageError.MEDIA_ERROR);
      assertThat(i.imageContent()).isNull();
    });
  }

  @Test
  void getImages_rangeOver300Seconds_invalidArgument() {
    Instant p = ingest.producerStart();
    assertThatThrownBy(() -> images.getImages(request(r -> r.startTimestamp(p)
        .endTimestamp(p.plusSeconds(300).plusMillis(1)).samplingInterval(1_000)
        .format(Format.JPEG)))).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void getImages_intervalUnder200ms_invalidArgument() {
    Instant p = ingest.producerStart();
    assertThatThrownBy(() -> images.getImages(request(r -> r.startTimestamp(p)
        .endTimestamp(p.plusSeconds(1)).samplingInterval(199).format(Format.JPEG))))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void getImages_widthWithoutHeight_invalidArgument() {
    Instant p = ingest.producerStart();
    assertThatThrownBy(() -> images.getImages(request(r -> r.startTimestamp(p)
        .endTimestamp(p.plusSeconds(1)).samplingInterval(200).format(Format.JPEG)
        .widthPixels(100)))).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void getImages_retentionZero_noDataRetention() {
    Instant now = Instant.now();
    assertThatThrownBy(() -> images.getImages(GetImagesRequest.builder().streamName(NO_RETENTION)
        .imageSelectorType(ImageSelectorType.SERVER_TIMESTAMP).startTimestamp(now.minusSeconds(10))
        .endTimestamp(now).samplingInterval(1_000).format(Format.JPEG).build()))
        .isInstanceOf(NoDataRetentionException.class);
  }

  @Test
  void getImages_unknownStream_resourceNotFound() {
    Instant now = Instant.now();
    assertThatThrownBy(() -> images.getImages(GetImagesRequest.builder().streamName("no-such")
        .imageSelectorType(ImageSelectorType.SERVER_TIMESTAMP).startTimestamp(now.minusSeconds(10))
        .endTimestamp(now).samplingInterval(1_000).format(Format.JPEG).build()))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  /** A producer-timestamp request on {@link #STREAM}, then {@code more}. */
  private static GetImagesRequest request(UnaryOperator<GetImagesRequest.Builder> more) {
    return more.apply(GetImagesRequest.builder().streamName(STREAM)
        .imageSelectorType(ImageSelectorType.PRODUCER_TIMESTAMP)).build();
  }

  /** Follows NextToken to the end; every page must hold {@code pageSize} images but the last. */
  private static List<Image> allPages(UnaryOperator<GetImagesRequest.Builder> more,
      int pageSize) {
    List<Image> all = new ArrayList<>();
    GetImagesResponse page = images.getImages(request(more));
    while (true) {
      all.addAll(page.images());
      String token = page.nextToken();
      if (token == null) {
        assertThat(page.images()).hasSizeLessThanOrEqualTo(pageSize);
        return all;
      }
      assertThat(page.images()).hasSize(pageSize);
      page = images.getImages(request(r -> more.apply(r).nextToken(token)));
    }
  }

  /** Presentation index of the source frame on screen at {@code ms} into the file. */
  private static int frameShownAt(long ms) {
    return frameShownAt(sourcePtsMs, ms);
  }

  /** Presentation index of the frame on screen at {@code ms}, given sorted presentation times. */
  private static int frameShownAt(List<Long> ptsMs, long ms) {
    int shown = 0;
    for (int n = 0; n < ptsMs.size(); n++) {
      if (ptsMs.get(n) <= ms) {
        shown = n;
      }
    }
    return shown;
  }

  /** ffmpeg's decode of the source frames with these presentation indices, as RGB24. */
  private static List<byte[]> ffmpegFrames(List<Integer> indices, int width, int height)
      throws IOException {
    return ffmpegFrames(TestMedia.h264Aac(), indices, width, height);
  }

  /** ffmpeg's decode of {@code source}'s frames with these presentation indices, as RGB24. */
  private static List<byte[]> ffmpegFrames(Path source, List<Integer> indices, int width,
      int height) throws IOException {
    List<Integer> distinct = indices.stream().distinct().sorted().toList();
    String select = distinct.stream().map(n -> "eq(n\\," + n + ")")
        .collect(Collectors.joining("+"));
    Path raw = Files.createTempFile(tmp, "frames-", ".rgb");
    Ffmpeg.run("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", source.toString(),
        "-map", "0:v:0", "-vf", "select=" + select + ",scale=" + width + ":" + height,
        "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", raw.toString());
    byte[] all = Files.readAllBytes(raw);
    int frameBytes = width * height * 3;
    assertThat(all).hasSize(frameBytes * distinct.size());
    List<byte[]> frames = new ArrayList<>();
    for (int n : indices) {
      int at = distinct.indexOf(n) * frameBytes;
      frames.add(java.util.Arrays.copyOfRange(all, at, at + frameBytes));
    }
    return frames;
  }

  private static BufferedImage decode(Image image) {
    try {
      BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(
          Base64.getDecoder().decode(image.imageContent())));
      assertThat(decoded).isNotNull();
      return decoded;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double meanDiff(BufferedImage image, byte[] rgb) {
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

  /** Two seconds of AAC alone, one cluster per second: a stream GetImages cannot make images of. */
  private static Path audioOnlyMkv() {
    Path out = tmp.resolve("audio-only.mkv");
    Ffmpeg.run("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi",
        "-i", "sine=frequency=440:sample_rate=48000", "-t", "2", "-c:a", "aac", "-b:a", "64k",
        "-f", "matroska", "-live", "1", "-cluster_time_limit", "1000", out.toString());
    return out;
  }
}
