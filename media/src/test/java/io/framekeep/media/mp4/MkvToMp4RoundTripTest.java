package io.framekeep.media.mp4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.framekeep.media.FrameTable;
import io.framekeep.media.mkv.MkvIngestParser;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: ffmpeg makes a KVS-style H.264 + AAC MKV, {@link MkvIngestParser} splits it into
 * fragments, the clip is built from the frame tables and written from a segment file with
 * {@link ClipWriter#fromFiles}, and ffmpeg must decode it to exactly the source frames.
 *
 * <p>Source command (see {@link #makeSource()}): {@code ffmpeg -f lavfi -i
 * testsrc2=size=320x240:rate=30 -f lavfi -i sine=frequency=440:sample_rate=48000 -t 6 -c:v libx264
 * -preset veryfast -g 30 -keyint_min 30 -sc_threshold 0 -bf 2 -c:a aac -aac_pns 0 -b:a 64k -f
 * matroska -live 1 -cluster_size_limit 50000000 -cluster_time_limit 10000 - > in.mkv}. Writing to
 * a pipe (not a seekable file) makes ffmpeg start a cluster at every key frame, one fragment per
 * GOP as KVS producers send. Perceptual noise substitution is off because its decoder-side random
 * generator depends on every earlier frame, so a clip starting mid-stream could never decode
 * bit-exactly.
 */
class MkvToMp4RoundTripTest {
  private static final long PROCESS_TIMEOUT_SECONDS = 120;

  @TempDir static Path dir;
  private static Path sourceMkv;
  private static FfmpegRoundTrip ffmpeg;
  private static FfmpegRoundTrip.Parsed parsed;
  private static Path segmentFile;
  private static List<String> sourceVideoHashes;
  private static List<String> sourceAudioHashes;

  /** What the ingest parser produced. */

  @BeforeAll
  static void makeSource() throws Exception {
    assumeTrue(FfmpegRoundTrip.hasFfmpeg(), "ffmpeg/ffprobe not installed");
    ffmpeg = new FfmpegRoundTrip(dir);
    sourceMkv = dir.resolve("in.mkv");
    ProcessBuilder make = new ProcessBuilder("ffmpeg", "-v", "error", "-f", "lavfi", "-i",
        "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", "6", "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-keyint_min", "30",
        "-sc_threshold", "0", "-bf", "2", "-c:a", "aac", "-aac_pns", "0", "-b:a", "64k", "-f", "matroska",
        "-live", "1", "-cluster_size_limit", "50000000", "-cluster_time_limit", "10000", "-")
        .redirectOutput(sourceMkv.toFile())
        .redirectError(dir.resolve("make.err").toFile());
    Process process = make.start();
    assertThat(process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(dir.resolve("make.err"))).isZero();

    parsed = FfmpegRoundTrip.parse(Files.readAllBytes(sourceMkv));
    segmentFile = dir.resolve("segment.bin");
    try (FileChannel out = FileChannel.open(segmentFile, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      for (byte[] payload : parsed.payloads()) {
        out.write(ByteBuffer.wrap(payload));
      }
    }
    sourceVideoHashes = ffmpeg.hashes(sourceMkv, "0:v:0");
    sourceAudioHashes = ffmpeg.hashes(sourceMkv, "0:a:0");
  }

  @Test
  void source_parsedIntoOneFragmentPerGop() {
    assertThat(parsed.tables()).hasSize(6);
    assertThat(videoFrames(0, parsed.tables().size())).isEqualTo(sourceVideoHashes.size());
  }

  @Test
  void clip_allFragments_probesAsH264AndAacWithMoovFirst() throws Exception {
    Path clip = writeClip(0, parsed.tables().size(), "all.mp4");

    FfmpegRoundTrip.Result probe = ffmpeg.run("ffprobe", "-v", "error", "-show_entries",
        "stream=codec_type,codec_name",
        "-of", "csv=p=0", clip.toString());
    assertThat(probe.stderr()).isEmpty();
    assertThat(probe.stdout().lines().toList()).containsExactly("h264,video", "aac,audio");
    assertThat(FfmpegRoundTrip.topLevelBoxes(Files.readAllBytes(clip)))
        .containsExactly("ftyp", "moov", "mdat");
  }

  @Test
  void clip_allFragments_decodesWithoutErrors() throws Exception {
    Path clip = writeClip(0, parsed.tables().size(), "all-decode.mp4");

    FfmpegRoundTrip.Result decode = ffmpeg.decode(clip);
    assertThat(decode.exitCode()).isZero();
    assertThat(decode.stderr()).isEmpty();
  }

  @Test
  void clip_allFragments_videoFramesEqualSource() throws Exception {
    assertVideoMatches(0, parsed.tables().size());
  }

  @Test
  void clip_middleFragments_videoFramesEqualSource() throws Exception {
    assertVideoMatches(2, 4);
  }

  @Test
  void clip_middleFragments_decodesWithoutErrors() throws Exception {
    Path clip = writeClip(2, 4, "middle-decode.mp4");

    FfmpegRoundTrip.Result decode = ffmpeg.decode(clip);
    assertThat(decode.exitCode()).isZero();
    assertThat(decode.stderr()).isEmpty();
  }

  @Test
  void clip_allFragments_audioFramesEqualSource() throws Exception {
    assertAudioMatches(0, parsed.tables().size());
  }

  @Test
  void clip_middleFragments_audioFramesEqualSource() throws Exception {
    assertAudioMatches(1, 5);
  }

  private static void assertVideoMatches(int from, int to) throws Exception {
    Path clip = writeClip(from, to, "video-" + from + "-" + to + ".mp4");
    List<String> clipHashes = ffmpeg.hashes(clip, "0:v:0");
    int offset = videoFrames(0, from);

    assertThat(clipHashes).hasSize(videoFrames(from, to));
    assertThat(clipHashes).isEqualTo(sourceVideoHashes.subList(offset, offset + clipHashes.size()));
  }

  /**
   * The clip holds all audio of its fragments; its edit list starts playback at the first video
   * key frame, so the decoder outputs audio from the frame that straddles it (trimmed, so its hash
   * differs), and every later frame must equal the source. Without audio before the key frame, the
   * first decoded frame lacks the previous frame's overlap and is left out instead.
   */
  private static void assertAudioMatches(int from, int to) throws Exception {
    Path clip = writeClip(from, to, "audio-" + from + "-" + to + ".mp4");
    List<String> clipHashes = ffmpeg.hashes(clip, "0:a:0");
    int offset = audioFramesBefore(from) + droppedLeadingAudio(parsed.tables().get(from));
    int straddling = droppedLeadingAudio(parsed.tables().get(from)) > 0 ? 1 : 0;
    int expectedCount = audioFramesBefore(to) - offset + straddling;

    assertThat(clipHashes).hasSize(expectedCount);
    assertThat(clipHashes.subList(1, clipHashes.size())).isEqualTo(sourceAudioHashes.subList(
        offset + 1 - straddling, offset + expectedCount - straddling));
  }

  @Test
  void clip_trimmedInsideFragments_showsExactlyTheFramesOfTheWindow() throws Exception {
    // Frames 40..130 (presentation order): starts mid-GOP in fragment 1, ends inside fragment 4.
    List<Long> times = videoPresentationTimesNs();
    ClipSource.Trim trim = new ClipSource.Trim(times.get(40), times.get(130));
    Path clip = writeClip(1, 5, "trimmed.mp4", trim);

    List<String> clipHashes = ffmpeg.hashes(clip, "0:v:0");
    assertThat(clipHashes).isEqualTo(sourceVideoHashes.subList(40, 130));
  }

  @Test
  void clip_trimBeyondMedia_isClampedToTheClip() throws Exception {
    List<Long> times = videoPresentationTimesNs();
    ClipSource.Trim trim = new ClipSource.Trim(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2);
    Path clip = writeClip(1, 3, "trim-clamped.mp4", trim);

    assertThat(ffmpeg.hashes(clip, "0:v:0")).isEqualTo(
        sourceVideoHashes.subList(videoFrames(0, 1), videoFrames(0, 3)));
    assertThat(times).hasSize(sourceVideoHashes.size());
  }

  /** Every video frame's Matroska presentation time, in presentation order. */
  private static List<Long> videoPresentationTimesNs() {
    List<Long> times = new ArrayList<>();
    for (FrameTable t : parsed.tables()) {
      for (int i = 0; i < t.size(); i++) {
        if (t.trackNumber(i) == videoTrack()) {
          times.add(t.timeNs(i));
        }
      }
    }
    times.sort(null);
    return times;
  }

  private static Path writeClip(int from, int to, String name) throws Exception {
    return writeClip(from, to, name, null);
  }

  private static Path writeClip(int from, int to, String name, ClipSource.Trim trim)
      throws Exception {
    ClipLayout layout = ProgressiveMp4Builder.build(
        new ClipSource(parsed.header(), parsed.tables().subList(from, to), trim));
    long[] positions = new long[to - from];
    long position = 0;
    for (int i = 0; i < from; i++) {
      position += parsed.payloads().get(i).length;
    }
    for (int i = 0; i < positions.length; i++) {
      positions[i] = position;
      position += parsed.payloads().get(from + i).length;
    }
    Path clip = dir.resolve(name);
    try (FileChannel segment = FileChannel.open(segmentFile, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(clip, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      long written = ClipWriter.write(layout,
          ClipWriter.fromFiles(i -> segment, i -> positions[i]), out);
      assertThat(written).isEqualTo(layout.totalBytes());
    }
    assertThat(Files.size(clip)).isEqualTo(layout.totalBytes());
    return clip;
  }

  private static long videoTrack() {
    return parsed.header().tracks().stream().filter(t -> t.isVideo()).findFirst().orElseThrow()
        .trackNumber();
  }

  private static long audioTrack() {
    return parsed.header().tracks().stream().filter(t -> t.isAudio()).findFirst().orElseThrow()
        .trackNumber();
  }

  private static int videoFrames(int from, int to) {
    int count = 0;
    for (FrameTable t : parsed.tables().subList(from, to)) {
      for (int i = 0; i < t.size(); i++) {
        count += t.trackNumber(i) == videoTrack() ? 1 : 0;
      }
    }
    return count;
  }

  private static int audioFramesBefore(int fragment) {
    int count = 0;
    for (FrameTable t : parsed.tables().subList(0, fragment)) {
      for (int i = 0; i < t.size(); i++) {
        count += t.trackNumber(i) == audioTrack() ? 1 : 0;
      }
    }
    return count;
  }

  /** Audio frames of the clip's first fragment timed before its first video key frame. */
  private static int droppedLeadingAudio(FrameTable t) {
    long keyTicks = Long.MIN_VALUE;
    for (int i = 0; i < t.size() && keyTicks == Long.MIN_VALUE; i++) {
      if (t.trackNumber(i) == videoTrack() && t.isKeyFrame(i)) {
        keyTicks = t.timeTicks(i);
      }
    }
    int dropped = 0;
    for (int i = 0; i < t.size(); i++) {
      dropped += t.trackNumber(i) == audioTrack() && t.timeTicks(i) < keyTicks ? 1 : 0;
    }
    return dropped;
  }
}
