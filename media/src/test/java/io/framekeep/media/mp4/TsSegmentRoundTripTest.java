package io.framekeep.media.mp4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.framekeep.media.FrameTable;
import io.framekeep.media.hls.TsSegmentWriter;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ffmpeg decodes the MPEG-TS segments of {@link TsSegmentWriter} ({@code io.framekeep.media.hls}):
 * the same ffmpeg-made H.264 (B-frames) + AAC MKV as {@link FragmentedMp4RoundTripTest}, one TS
 * segment per fragment, concatenated as an HLS player reads them. Lives here to share {@link
 * FfmpegRoundTrip}.
 */
class TsSegmentRoundTripTest {
  @TempDir static Path dir;
  private static FfmpegRoundTrip tools;
  private static Path ts;
  private static List<String> sourceVideo;
  private static FfmpegRoundTrip.Parsed parsed;

  @BeforeAll
  static void makeSegments() throws Exception {
    assumeTrue(FfmpegRoundTrip.hasFfmpeg(), "ffmpeg/ffprobe not installed");
    tools = new FfmpegRoundTrip(dir);
    Path mkv = tools.makeMkv("in.mkv", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "4",
        "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-keyint_min", "30",
        "-sc_threshold", "0", "-bf", "2", "-c:a", "aac", "-b:a", "64k");
    parsed = FfmpegRoundTrip.parse(Files.readAllBytes(mkv));
    PlaybackTracks tracks = PlaybackTracks.of(parsed.header());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long originTicks = parsed.tables().get(0).clusterTimecodeTicks();
    for (int f = 0; f < parsed.tables().size(); f++) {
      FrameTable table = parsed.tables().get(f);
      long startNs = (table.clusterTimecodeTicks() - originTicks) * table.timecodeScaleNs();
      byte[] segment = TsSegmentWriter.segment(tracks, table,
          ByteBuffer.wrap(parsed.payloads().get(f)), startNs);
      assertThat(segment.length % 188).as("whole transport packets").isZero();
      out.writeBytes(segment);
    }
    ts = dir.resolve("all.ts");
    Files.write(ts, out.toByteArray());
    sourceVideo = tools.hashes(mkv, "0:v:0");
  }

  @Test
  void segments_probeAsH264AndAacInMpegTs() throws Exception {
    assertThat(tools.probe(ts).stdout()).contains("h264,video", "aac,audio");
  }

  @Test
  void segments_decodeWithoutErrors() throws Exception {
    FfmpegRoundTrip.Result decode = tools.decode(ts);

    assertThat(decode.exitCode()).isZero();
    assertThat(decode.stderr()).isEmpty();
  }

  @Test
  void segments_videoFramesEqualSource() throws Exception {
    assertThat(tools.hashes(ts, "0:v:0")).containsExactlyElementsOf(sourceVideo);
  }
}
