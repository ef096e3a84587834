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
    return write(name, parsed, tracks, selection);
  }

  private static Path write(String name, FfmpegRoundTrip.Parsed parsed, PlaybackTracks tracks,
      FragmentedMp4Writer.Selection selection) throws Exception {
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

  /**
   * H.265 (hvc1, B-frames, closed GOPs) + AAC: {@code -c:v libx265 -x265-params
   * keyint=30:min-keyint=30:scenecut=0:bframes=2:open-gop=0}, two seconds.
   */
  @Test
  void hevc_initPlusSegments_decodeWithoutErrorsToSourceFrames() throws Exception {
    Path mkv = tools.makeMkv("hevc.mkv", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "2",
        "-c:v", "libx265", "-x265-params",
        "log-level=error:keyint=30:min-keyint=30:scenecut=0:bframes=2:open-gop=0",
        "-c:a", "aac", "-b:a", "64k");
    FfmpegRoundTrip.Parsed hevc = FfmpegRoundTrip.parse(Files.readAllBytes(mkv));
    PlaybackTracks hevcTracks = PlaybackTracks.of(hevc.header());
    Path file = write("hevc.mp4", hevc, hevcTracks, FragmentedMp4Writer.Selection.ALL);

    assertThat(hevcTracks.videoCodecs()).startsWith("hvc1.");
    assertThat(tools.probe(file).stdout()).contains("hevc,video,hvc1", "aac,audio,mp4a");
    FfmpegRoundTrip.Result decode = tools.decode(file);
    assertThat(decode.stderr()).isEmpty();
    assertThat(tools.hashes(file, "0:v:0")).containsExactlyElementsOf(tools.hashes(mkv, "0:v:0"));
  }

  /** H.264 + G.711 A-law at 8 kHz (as DASH carries it): {@code -c:a pcm_alaw -ar 8000}. */
  @Test
  void alaw_audioSelection_decodesToTheSourceSamples() throws Exception {
    Path mkv = tools.makeMkv("alaw.mkv", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000", "-t", "2",
        "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-keyint_min", "30",
        "-sc_threshold", "0", "-bf", "2", "-c:a", "pcm_alaw", "-ar", "8000");
    FfmpegRoundTrip.Parsed alaw = FfmpegRoundTrip.parse(Files.readAllBytes(mkv));
    PlaybackTracks alawTracks = PlaybackTracks.of(alaw.header());
    Path file = write("alaw.mp4", alaw, alawTracks, FragmentedMp4Writer.Selection.AUDIO);

    assertThat(alawTracks.hasG711Audio()).isTrue();
    assertThat(alawTracks.audioCodecs()).isEqualTo("alaw");
    assertThat(tools.probe(file).stdout().strip()).isEqualTo("pcm_alaw,audio,alaw");
    assertThat(tools.decode(file).stderr()).isEmpty();
    assertThat(tools.pcmHash(file, "0:a:0")).isEqualTo(tools.pcmHash(mkv, "0:a:0"));
  }

  /** AAC alone (HLS and DASH allow it): {@code -i sine=... -t 12 -c:a aac}, two clusters. */
  @Test
  void audioOnly_initPlusSegments_decodeToTheSourceSamples() throws Exception {
    Path mkv = tools.makeMkv("aac.mkv", "-f", "lavfi", "-i",
        "sine=frequency=440:sample_rate=48000", "-t", "12", "-c:a", "aac", "-b:a", "64k");
    FfmpegRoundTrip.Parsed aac = FfmpegRoundTrip.parse(Files.readAllBytes(mkv));
    PlaybackTracks aacTracks = PlaybackTracks.of(aac.header());
    Path file = write("aac.mp4", aac, aacTracks, FragmentedMp4Writer.Selection.ALL);

    assertThat(aac.tables()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(aacTracks.hasVideo()).isFalse();
    assertThat(aacTracks.codecs()).isEqualTo("mp4a.40.2");
    assertThat(tools.probe(file).stdout().strip()).isEqualTo("aac,audio,mp4a");
    assertThat(tools.decode(file).stderr()).isEmpty();
    assertThat(tools.pcmHash(file, "0:a:0")).isEqualTo(tools.pcmHash(mkv, "0:a:0"));
  }

  @Test
  void videoSelection_initPlusSegments_decodeToSourceFrames() throws Exception {
    Path file = write("video.mp4", FragmentedMp4Writer.Selection.VIDEO);

    assertThat(tools.probe(file).stdout().strip()).isEqualTo("h264,video,avc1");
    assertThat(tools.hashes(file, "0:v:0")).containsExactlyElementsOf(sourceVideo);
  }
}
