package io.framekeep.media.mp4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.framekeep.media.FrameTable;
import io.framekeep.media.fmp4.FragmentedMp4Writer;
import io.framekeep.media.fmp4.MediaSegment;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ffmpeg decodes what the fragmented-MP4 writer makes: an H.264 (B-frames) + AAC KVS-style MKV
 * made by ffmpeg is split into fragments by the ingest parser, each fragment becomes one media
 * segment, and the init segment followed by every media segment must decode to exactly the source
 * frames, without errors. Source command: {@code ffmpeg -f lavfi -i testsrc2=size=320x240:rate=30
 * -f lavfi -i sine=frequency=440:sample_rate=48000 -t 4 -c:v libx264 -preset veryfast -g 30
 * -keyint_min 30 -sc_threshold 0 -bf 2 -c:a aac -b:a 64k -f matroska -live 1 ... -}.
 */
class FragmentedMp4RoundTripTest {
  @TempDir static Path dir;
  private static FfmpegRoundTrip tools;
  private static FfmpegRoundTrip.Parsed parsed;
  private static PlaybackTracks tracks;
  private static List<String> sourceVideo;

  @BeforeAll
  static void makeSource() throws Exception {
    assumeTrue(FfmpegRoundTrip.hasFfmpeg(), "ffmpeg/ffprobe not installed");
    tools = new FfmpegRoundTrip(dir);
    Path mkv = tools.makeMkv("in.mkv", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "4",
        "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-keyint_min", "30",
        "-sc_threshold", "0", "-bf", "2", "-c:a", "aac", "-b:a", "64k");
    parsed = FfmpegRoundTrip.parse(Files.readAllBytes(mkv));
    tracks = PlaybackTracks.of(parsed.header());
    sourceVideo = tools.hashes(mkv, "0:v:0");
  }

  /** Init segment plus one media segment per fragment, timed from the first cluster. */
  private static Path write(String name, FragmentedMp4Writer.Selection selection)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(bytes(FragmentedMp4Writer.initSegment(tracks, selection)));
    long originTicks = parsed.tables().get(0).clusterTimecodeTicks();
    for (int f = 0; f < parsed.tables().size(); f++) {
      FrameTable table = parsed.tables().get(f);
      long startNs = (table.clusterTimecodeTicks() - originTicks) * table.timecodeScaleNs();
      MediaSegment segment =
          FragmentedMp4Writer.mediaSegment(tracks, table, f + 1, startNs, selection);
      out.writeBytes(bytes(segment.prefix()));
      for (SampleRun run : segment.runs()) {
        out.write(parsed.payloads().get(f), (int) run.offsetInFragment(), (int) run.lengthBytes());
      }
    }
    Path file = dir.resolve(name);
    Files.write(file, out.toByteArray());
    return file;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  @Test
  void allTracks_initPlusSegments_probesAsH264AndAac() throws Exception {
    Path file = write("all.mp4", FragmentedMp4Writer.Selection.ALL);

    assertThat(parsed.tables()).hasSizeGreaterThanOrEqualTo(4);
    assertThat(tools.probe(file).stdout()).contains("h264,video,avc1", "aac,audio,mp4a");
    assertThat(FfmpegRoundTrip.topLevelBoxes(Files.readAllBytes(file))).startsWith("ftyp", "moov",
        "moof", "mdat", "moof", "mdat");
  }

  @Test
  void allTracks_initPlusSegments_decodeWithoutErrorsToSourceFrames() throws Exception {
    Path file = write("all.mp4", FragmentedMp4Writer.Selection.ALL);

    FfmpegRoundTrip.Result decode = tools.decode(file);
    assertThat(decode.exitCode()).isZero();
    assertThat(decode.stderr()).isEmpty();
    assertThat(tools.hashes(file, "0:v:0")).containsExactlyElementsOf(sourceVideo);
  }

  @Test
  void videoSelection_initPlusSegments_decodeToSourceFrames() throws Exception {
    Path file = write("video.mp4", FragmentedMp4Writer.Selection.VIDEO);

    assertThat(tools.probe(file).stdout().strip()).isEqualTo("h264,video,avc1");
    assertThat(tools.hashes(file, "0:v:0")).containsExactlyElementsOf(sourceVideo);
  }
}
