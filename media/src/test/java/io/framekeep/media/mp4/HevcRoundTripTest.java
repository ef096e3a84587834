package io.framekeep.media.mp4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * H.265 end to end: ffmpeg makes KVS-style H.265 MKVs (with B-frames), the ingest parser splits
 * them, clips are built and written, and ffmpeg must decode the clips to exactly the source frames.
 *
 * <p>Source commands (see {@link #makeSources()}), both piped so that each GOP is one cluster:
 *
 * <pre>
 * ffmpeg -f lavfi -i testsrc2=size=320x240:rate=30 -f lavfi -i sine=frequency=440:sample_rate=48000
 *   -t 4 -c:v libx265 -x265-params log-level=error:keyint=30:min-keyint=30:scenecut=0:bframes=2:open-gop=0
 *   -c:a aac -aac_pns 0 -b:a 64k -f matroska -live 1 -cluster_size_limit 50000000
 *   -cluster_time_limit 10000 - > hevc_aac.mkv
 * ffmpeg -f lavfi -i testsrc2=size=320x240:rate=25 -t 3 -c:v libx265
 *   -x265-params log-level=error:keyint=25:min-keyint=25:scenecut=0:bframes=2:open-gop=0 -f matroska -live 1
 *   -cluster_size_limit 50000000 -cluster_time_limit 10000 - > hevc_only.mkv
 * </pre>
 *
 * <p>{@code open-gop=0}: x265 otherwise starts GOPs with CRA pictures whose leading B-frames
 * reference the previous GOP, so a clip starting mid-stream could never decode them. KVS fragments
 * are meant to be independently decodable (closed GOPs), as camera encoders produce.
 */
class HevcRoundTripTest {
  @TempDir static Path dir;
  private static FfmpegRoundTrip ffmpeg;
  private static Path withAudioMkv;
  private static FfmpegRoundTrip.Parsed withAudio;
  private static Path videoOnlyMkv;
  private static FfmpegRoundTrip.Parsed videoOnly;

  @BeforeAll
  static void makeSources() throws Exception {
    assumeTrue(FfmpegRoundTrip.hasFfmpeg(), "ffmpeg/ffprobe not installed");
    ffmpeg = new FfmpegRoundTrip(dir);
    withAudioMkv = ffmpeg.makeMkv("hevc_aac.mkv", "-f", "lavfi", "-i",
        "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i",
        "sine=frequency=440:sample_rate=48000", "-t", "4", "-c:v", "libx265", "-x265-params",
        "log-level=error:keyint=30:min-keyint=30:scenecut=0:bframes=2:open-gop=0", "-c:a", "aac",
        "-aac_pns", "0", "-b:a", "64k");
    withAudio = FfmpegRoundTrip.parse(Files.readAllBytes(withAudioMkv));
    videoOnlyMkv = ffmpeg.makeMkv("hevc_only.mkv", "-f", "lavfi", "-i",
        "testsrc2=size=320x240:rate=25", "-t", "3", "-c:v", "libx265", "-x265-params",
        "log-level=error:keyint=25:min-keyint=25:scenecut=0:bframes=2:open-gop=0");
    videoOnly = FfmpegRoundTrip.parse(Files.readAllBytes(videoOnlyMkv));
  }

  @Test
  void source_hevcWithAudio_oneFragmentPerGop() {
    assertThat(withAudio.firstTrack(true).codecId()).isEqualTo("V_MPEGH/ISO/HEVC");
    assertThat(withAudio.tables()).hasSize(4);
  }

  @Test
  void clip_hevcWithAac_probesAsHvc1AndAacWithMoovFirst() throws Exception {
    Path clip = clip(withAudio, 0, withAudio.tables().size(), "probe.mp4");

    FfmpegRoundTrip.Result probe = ffmpeg.probe(clip);
    assertThat(probe.stderr()).isEmpty();
    assertThat(probe.stdout().lines().toList())
        .containsExactly("hevc,video,hvc1", "aac,audio,mp4a");
    assertThat(FfmpegRoundTrip.topLevelBoxes(Files.readAllBytes(clip)))
        .containsExactly("ftyp", "moov", "mdat");
  }

  @Test
  void clip_hevcWithAac_decodesWithoutErrors() throws Exception {
    FfmpegRoundTrip.Result decode = ffmpeg.decode(clip(withAudio, 1, 3, "decode.mp4"));

    assertThat(decode.exitCode()).isZero();
    assertThat(decode.stderr()).isEmpty();
  }

  @Test
  void clip_hevcAllFragments_videoFramesEqualSource() throws Exception {
    assertVideoMatches(withAudioMkv, withAudio, 0, withAudio.tables().size());
  }

  @Test
  void clip_hevcMiddleFragments_videoFramesEqualSource() throws Exception {
    assertVideoMatches(withAudioMkv, withAudio, 1, 3);
  }

  @Test
  void clip_hevcMiddleFragments_audioFramesAfterFirstEqualSource() throws Exception {
    long audio = withAudio.firstTrack(false).trackNumber();
    Path clip = clip(withAudio, 1, 3, "audio.mp4");
    List<String> clipHashes = ffmpeg.hashes(clip, "0:a:0");
    List<String> source = ffmpeg.hashes(withAudioMkv, "0:a:0");
    int offset = withAudio.frames(audio, 0, 1) + withAudio.framesBeforeKey(audio, 1);
    // Audio before the key frame is kept behind the edit list: the frame straddling the key
    // frame decodes trimmed; every frame after it must be exact.
    int straddling = withAudio.framesBeforeKey(audio, 1) > 0 ? 1 : 0;

    assertThat(clipHashes).hasSize(withAudio.frames(audio, 0, 3) - offset + straddling);
    assertThat(clipHashes.subList(1, clipHashes.size())).isEqualTo(
        source.subList(offset + 1 - straddling, offset + clipHashes.size() - straddling));
  }

  @Test
  void clip_hevcVideoOnly_probesAsHvc1WithOneTrack() throws Exception {
    Path clip = clip(videoOnly, 0, videoOnly.tables().size(), "only.mp4");

    FfmpegRoundTrip.Result probe = ffmpeg.probe(clip);
    assertThat(probe.stderr()).isEmpty();
    assertThat(probe.stdout().lines().toList()).containsExactly("hevc,video,hvc1");
  }

  @Test
  void clip_hevcVideoOnlyLastFragments_videoFramesEqualSource() throws Exception {
    assertVideoMatches(videoOnlyMkv, videoOnly, 1, videoOnly.tables().size());
  }

  private static void assertVideoMatches(Path sourceMkv, FfmpegRoundTrip.Parsed parsed, int from,
      int to) throws Exception {
    long video = parsed.firstTrack(true).trackNumber();
    List<String> clipHashes = ffmpeg.hashes(clip(parsed, from, to, "v" + from + to + ".mp4"), "0:v:0");
    List<String> source = ffmpeg.hashes(sourceMkv, "0:v:0");
    int offset = parsed.frames(video, 0, from);

    assertThat(clipHashes).hasSize(parsed.frames(video, from, to));
    assertThat(clipHashes).isEqualTo(source.subList(offset, offset + clipHashes.size()));
  }

  private static Path clip(FfmpegRoundTrip.Parsed parsed, int from, int to, String name)
      throws Exception {
    String unique = (parsed == videoOnly ? "only-" : "av-") + name;
    return ffmpeg.writeClip(parsed.header(), parsed.tables(), parsed.payloads(), from, to, unique);
  }
}
