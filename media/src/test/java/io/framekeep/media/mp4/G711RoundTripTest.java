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
 * H.264 + G.711 end to end: ffmpeg makes KVS-style MKVs with A-law and µ-law audio ({@code
 * A_MS/ACM} with a WAVEFORMATEX), the clips are built and written, and ffmpeg must decode their
 * audio to exactly the source's samples.
 *
 * <p>Source command (see {@link #makeSources()}), {@code <codec>} = {@code pcm_alaw} or {@code
 * pcm_mulaw}, piped so that each GOP is one cluster: {@code ffmpeg -f lavfi -i
 * testsrc2=size=320x240:rate=30 -f lavfi -i sine=frequency=440:sample_rate=8000 -t 4 -c:v libx264
 * -preset veryfast -g 30 -keyint_min 30 -sc_threshold 0 -bf 2 -c:a <codec> -ar 8000 -f matroska
 * -live 1 -cluster_size_limit 50000000 -cluster_time_limit 10000 - > in.mkv}.
 */
class G711RoundTripTest {
  @TempDir static Path dir;
  private static FfmpegRoundTrip ffmpeg;
  private static Path alawMkv;
  private static FfmpegRoundTrip.Parsed alaw;
  private static Path ulawMkv;
  private static FfmpegRoundTrip.Parsed ulaw;

  @BeforeAll
  static void makeSources() throws Exception {
    assumeTrue(FfmpegRoundTrip.hasFfmpeg(), "ffmpeg/ffprobe not installed");
    ffmpeg = new FfmpegRoundTrip(dir);
    alawMkv = make("alaw.mkv", "pcm_alaw");
    alaw = FfmpegRoundTrip.parse(Files.readAllBytes(alawMkv));
    ulawMkv = make("ulaw.mkv", "pcm_mulaw");
    ulaw = FfmpegRoundTrip.parse(Files.readAllBytes(ulawMkv));
  }

  private static Path make(String name, String codec) throws Exception {
    return ffmpeg.makeMkv(name, "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-f",
        "lavfi", "-i", "sine=frequency=440:sample_rate=8000", "-t", "4", "-c:v", "libx264",
        "-preset", "veryfast", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0", "-bf", "2",
        "-c:a", codec, "-ar", "8000");
  }

  @Test
  void source_alaw_acmTrackWithOneFragmentPerGop() {
    assertThat(alaw.firstTrack(false).codecId()).isEqualTo("A_MS/ACM");
    assertThat(alaw.tables()).hasSize(4);
  }

  @Test
  void clip_alaw_probesAsAvc1AndAlaw() throws Exception {
    FfmpegRoundTrip.Result probe = ffmpeg.probe(clip(alaw, 0, 4, "alaw-probe.mp4"));

    assertThat(probe.stderr()).isEmpty();
    assertThat(probe.stdout().lines().toList())
        .containsExactly("h264,video,avc1", "pcm_alaw,audio,alaw");
  }

  @Test
  void clip_ulaw_probesAsAvc1AndUlaw() throws Exception {
    FfmpegRoundTrip.Result probe = ffmpeg.probe(clip(ulaw, 0, 4, "ulaw-probe.mp4"));

    assertThat(probe.stderr()).isEmpty();
    assertThat(probe.stdout().lines().toList())
        .containsExactly("h264,video,avc1", "pcm_mulaw,audio,ulaw");
  }

  @Test
  void clip_alawAllFragments_decodedPcmEqualsSource() throws Exception {
    Path clip = clip(alaw, 0, 4, "alaw-all.mp4");

    assertThat(ffmpeg.pcmHash(clip, "0:a:0")).isEqualTo(ffmpeg.pcmHash(alawMkv, "0:a:0"));
  }

  @Test
  void clip_ulawAllFragments_decodedPcmEqualsSource() throws Exception {
    Path clip = clip(ulaw, 0, 4, "ulaw-all.mp4");

    assertThat(ffmpeg.pcmHash(clip, "0:a:0")).isEqualTo(ffmpeg.pcmHash(ulawMkv, "0:a:0"));
  }

  @Test
  void clip_alawMiddleFragments_audioFramesEqualSource() throws Exception {
    assertAudioMatches(alawMkv, alaw, 1, 3);
  }

  @Test
  void clip_ulawMiddleFragments_audioFramesEqualSource() throws Exception {
    assertAudioMatches(ulawMkv, ulaw, 1, 3);
  }

  @Test
  void clip_alawMiddleFragments_videoFramesEqualSourceAndDecodeCleanly() throws Exception {
    long video = alaw.firstTrack(true).trackNumber();
    Path clip = clip(alaw, 1, 3, "alaw-video.mp4");
    List<String> clipHashes = ffmpeg.hashes(clip, "0:v:0");
    int offset = alaw.frames(video, 0, 1);

    assertThat(clipHashes).isEqualTo(ffmpeg.hashes(alawMkv, "0:v:0")
        .subList(offset, offset + alaw.frames(video, 1, 3)));
    FfmpegRoundTrip.Result decode = ffmpeg.decode(clip);
    assertThat(decode.exitCode()).isZero();
    assertThat(decode.stderr()).isEmpty();
  }

  /** G.711 has no decoder state: every block of the clip decodes exactly as in the source. */
  private static void assertAudioMatches(Path sourceMkv, FfmpegRoundTrip.Parsed parsed, int from,
      int to) throws Exception {
    long audio = parsed.firstTrack(false).trackNumber();
    Path clip = clip(parsed, from, to, sourceMkv.getFileName() + "-" + from + to + ".mp4");
    List<String> clipHashes = ffmpeg.hashes(clip, "0:a:0");
    int offset = parsed.frames(audio, 0, from) + parsed.framesBeforeKey(audio, from);
    int count = parsed.frames(audio, 0, to) - offset;

    assertThat(clipHashes).hasSize(count);
    assertThat(clipHashes).isEqualTo(ffmpeg.hashes(sourceMkv, "0:a:0").subList(offset, offset + count));
  }

  private static Path clip(FfmpegRoundTrip.Parsed parsed, int from, int to, String name)
      throws Exception {
    return ffmpeg.writeClip(parsed.header(), parsed.tables(), parsed.payloads(), from, to, name);
  }
}
