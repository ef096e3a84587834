package io.framekeep.images;

import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.mkv.IngestLimits;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.MkvIngestParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test video made with ffmpeg into a temporary directory, read back with our MKV parser: the
 * track-1 codec private data and, per cluster, the track-1 frames in decode order. Files are made
 * by exactly (codec libx264 or libx265):
 *
 * <pre>
 * ffmpeg -f lavfi -i testsrc2=size=320x240:rate=30 -t 2 -c:v CODEC -preset veryfast \
 *   -g 30 -keyint_min 30 -sc_threshold 0 -bf 2 -pix_fmt yuv420p -f matroska out.mkv
 * </pre>
 *
 * (libx265 gets {@code -x265-params keyint=30:min-keyint=30:scenecut=0:bframes=2:log-level=none}
 * instead of the x264 GOP options). Two seconds of 30 fps in two closed 30-frame GOPs with
 * B-frames, so decode order differs from presentation order.
 */
final class TestVideo {
  static final int WIDTH = 320;
  static final int HEIGHT = 240;
  static final int FRAMES_PER_SECOND = 30;
  static final int GOP_FRAMES = 30;

  final Path file;
  final byte[] codecPrivate;
  final List<List<CodedFrame>> clusters;

  private TestVideo(Path file, byte[] codecPrivate, List<List<CodedFrame>> clusters) {
    this.file = file;
    this.codecPrivate = codecPrivate;
    this.clusters = clusters;
  }

  static TestVideo make(VideoCodec codec) throws IOException, MediaFormatException {
    Path dir = Files.createTempDirectory("framekeep-images-");
    dir.toFile().deleteOnExit();
    Path out = dir.resolve(codec == VideoCodec.H264 ? "h264.mkv" : "h265.mkv");
    List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=" + WIDTH + "x" + HEIGHT + ":rate=" + FRAMES_PER_SECOND,
        "-t", "2", "-pix_fmt", "yuv420p", "-preset", "veryfast"));
    if (codec == VideoCodec.H264) {
      command.addAll(List.of("-c:v", "libx264", "-g", "30", "-keyint_min", "30",
          "-sc_threshold", "0", "-bf", "2"));
    } else {
      command.addAll(List.of("-c:v", "libx265",
          "-x265-params", "keyint=30:min-keyint=30:scenecut=0:bframes=2:log-level=none"));
    }
    command.addAll(List.of("-f", "matroska", out.toString()));
    run(command);
    out.toFile().deleteOnExit();
    return read(out);
  }

  private static TestVideo read(Path file) throws IOException, MediaFormatException {
    List<List<CodedFrame>> clusters = new ArrayList<>();
    MkvHeader[] header = new MkvHeader[1];
    ByteArrayOutputStream cluster = new ByteArrayOutputStream();
    MkvIngestParser parser = new MkvIngestParser(new MkvIngestParser.Listener() {
      @Override
      public void onHeader(MkvHeader h) {
        header[0] = h;
      }

      @Override
      public void onFragmentStart(long clusterTimecodeTicks) {
        cluster.reset();
      }

      @Override
      public void onFragmentBytes(ByteBuffer bytes) {
        byte[] b = new byte[bytes.remaining()];
        bytes.get(b);
        cluster.writeBytes(b);
      }

      @Override
      public void onFragmentEnd(FrameTable frames, long fragmentSizeBytes) {
        byte[] payload = cluster.toByteArray();
        List<CodedFrame> video = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
          if (frames.trackNumber(i) == 1) {
            video.add(new CodedFrame(Arrays.copyOfRange(payload, frames.offset(i),
                frames.offset(i) + frames.frameSize(i)), frames.timeNs(i)));
          }
        }
        clusters.add(video);
      }
    }, IngestLimits.kvsDefaults());
    parser.feed(ByteBuffer.wrap(Files.readAllBytes(file)));
    parser.finish();
    return new TestVideo(file, header[0].track(1).codecPrivate(), clusters);
  }

  /** All track-1 frames of the file in decode order (the clusters concatenated). */
  List<CodedFrame> allFrames() {
    return clusters.stream().flatMap(List::stream).toList();
  }

  /**
   * ffmpeg's own decode of the frame with presentation index {@code n}, as packed RGB24 of
   * {@code width} x {@code height} (scaled by ffmpeg when that differs from the source).
   */
  byte[] ffmpegRgb(int n, int width, int height) throws IOException {
    Path raw = Files.createTempFile("framekeep-frame-", ".rgb");
    try {
      run(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", file.toString(),
          "-vf", "select=eq(n\\," + n + "),scale=" + width + ":" + height,
          "-vframes", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", raw.toString()));
      return Files.readAllBytes(raw);
    } finally {
      Files.deleteIfExists(raw);
    }
  }

  static void run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = p.getInputStream().readAllBytes();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("failed: " + command + "\n" + new String(output));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
