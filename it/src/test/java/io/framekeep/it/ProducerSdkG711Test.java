package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.framekeep.it.CodecMedia.Audio;
import io.framekeep.it.CodecMedia.Video;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHPlaybackMode;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSPlaybackMode;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.UnsupportedStreamMediaTypeException;

/**
 * G.711 A-law as AWS's producer SDK writes it. {@code kvssink} (C++ producer SDK 3.6.0 /
 * producer-c 1.6.2) declares its A_MS/ACM codec private data as the WAVEFORMATEX {@link
 * #KVSSINK_ALAW_CPD}: wBitsPerSample 0 and nAvgBytesPerSec 1000 for 8 kHz mono A-law. The media
 * here is ffmpeg's H.264 + A-law MKV ({@link CodecMedia}) with exactly those bytes put in place of
 * ffmpeg's own codec private data ({@link MkvEdit}); the frames are unchanged.
 *
 * <p>GetClip and GetDASHStreamingSessionURL must play it: ffmpeg decodes the clip's and the DASH
 * presentation's audio to the same samples as the source's. GetHLSStreamingSessionURL refuses it
 * for the reason AWS documents (HLS carries no G.711, spec §4.5), not for its codec private data.
 */
class ProducerSdkG711Test {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();
  /** The A_MS/ACM codec private data kvssink writes for 8 kHz mono A-law. */
  static final byte[] KVSSINK_ALAW_CPD = HexFormat.of().parseHex("0600" + "0100" + "401f0000"
      + "e8030000" + "0100" + "0000" + "0000");
  private static final String STREAM = "kvssink-g711-alaw";
  /** ffmpeg puts the audio in track 2. */
  private static final long AUDIO_TRACK = 2;
  /** Producer start in the past, so that no timestamp is in the future. */
  private static final long PRODUCER_START_AGO_SECONDS = 120;
  /** A range holding every fragment of the upload. */
  private static final long UPLOAD_RANGE_SECONDS = CodecMedia.DURATION_SECONDS + 1;
  /** Samples compared to locate decoded audio in the source: 20 ms of noise. */
  private static final int PCM_PROBE_BYTES = 2 * 160;

  @TempDir static Path tmp;

  private static KinesisVideoClient kv;
  private static Path source;
  private static Instant producerStart;

  @BeforeAll
  static void upload() {
    kv = SERVER.kinesisVideo();
    source = CodecMedia.file(Video.H264, Audio.ALAW);
    byte[] original = read(source);
    byte[] kvssinkStyle = MkvEdit.of(original).withCodecPrivate(AUDIO_TRACK, KVSSINK_ALAW_CPD);
    MkvEdit edited = MkvEdit.of(kvssinkStyle);
    assertThat(edited.header().track(AUDIO_TRACK).codecPrivate()).isEqualTo(KVSSINK_ALAW_CPD);
    assertThat(edited.frames()).hasSameSizeAs(MkvEdit.of(original).frames());

    Streams.create(kv, STREAM, 24);
    producerStart = Instant.now().minusSeconds(PRODUCER_START_AGO_SECONDS)
        .truncatedTo(ChronoUnit.MILLIS);
    Streams.Ingest ingest = Streams.ingest(kv, STREAM, new ByteArrayInputStream(kvssinkStyle),
        producerStart);
    assertThat(ingest.response().acks("ERROR")).as("error acks").isEmpty();
    assertThat(Streams.awaitFragments(
        SERVER.archivedMedia(Streams.dataEndpoint(kv, STREAM, APIName.LIST_FRAGMENTS)), STREAM,
        Streams.selector(FragmentSelectorType.PRODUCER_TIMESTAMP, producerStart,
            producerStart.plusSeconds(UPLOAD_RANGE_SECONDS)), edited.clusterCount()))
        .hasSize(edited.clusterCount());
  }

  @Test
  void getClip_kvssinkAlawCodecPrivate_alawClipWithSourceSamples() {
    Path clip = tmp.resolve("clip.mp4");
    SERVER.archivedMedia(Streams.dataEndpoint(kv, STREAM, APIName.GET_CLIP)).getClip(r -> r
            .streamName(STREAM).clipFragmentSelector(s -> s
                .fragmentSelectorType(ClipFragmentSelectorType.PRODUCER_TIMESTAMP)
                .timestampRange(t -> t.startTimestamp(producerStart)
                    .endTimestamp(producerStart.plusSeconds(UPLOAD_RANGE_SECONDS)))),
        ResponseTransformer.toFile(clip));

    assertThat(Ffmpeg.codecNames(clip)).containsExactly("h264", "pcm_alaw");
    var audio = Ffmpeg.probe(clip).path("streams").get(1);
    assertThat(audio.path("sample_rate").asText()).isEqualTo("8000");
    assertThat(audio.path("channels").asInt()).isEqualTo(1);
    assertThat(Ffmpeg.decodeErrors(clip)).as("ffmpeg -v error while decoding").isEmpty();
    assertRunOfSourceSamples(Ffmpeg.decodedAudioS16(clip), true);
  }

  @Test
  void dashSession_kvssinkAlawCodecPrivate_ffmpegDecodesSourceSamples() {
    String url = SERVER.archivedMedia(
        Streams.dataEndpoint(kv, STREAM, APIName.GET_DASH_STREAMING_SESSION_URL))
        .getDASHStreamingSessionURL(r -> r.streamName(STREAM)
            .playbackMode(DASHPlaybackMode.ON_DEMAND)
            .dashFragmentSelector(s -> s
                .fragmentSelectorType(DASHFragmentSelectorType.PRODUCER_TIMESTAMP)
                .timestampRange(t -> t.startTimestamp(producerStart)
                    .endTimestamp(producerStart.plusSeconds(UPLOAD_RANGE_SECONDS)))))
        .dashStreamingSessionURL();

    assertRunOfSourceSamples(Ffmpeg.decodedAudioS16(url), false);
  }

  @Test
  void hlsSession_kvssinkAlawCodecPrivate_unsupportedMediaTypeNotCodecPrivateData() {
    Throwable thrown = catchThrowable(() -> SERVER.archivedMedia(
        Streams.dataEndpoint(kv, STREAM, APIName.GET_HLS_STREAMING_SESSION_URL))
        .getHLSStreamingSessionURL(r -> r.streamName(STREAM)
            .playbackMode(HLSPlaybackMode.ON_DEMAND)
            .hlsFragmentSelector(s -> s
                .fragmentSelectorType(HLSFragmentSelectorType.PRODUCER_TIMESTAMP)
                .timestampRange(t -> t.startTimestamp(producerStart)
                    .endTimestamp(producerStart.plusSeconds(UPLOAD_RANGE_SECONDS))))));

    assertThat(thrown).isInstanceOf(UnsupportedStreamMediaTypeException.class);
    assertThat(((UnsupportedStreamMediaTypeException) thrown).awsErrorDetails().errorMessage())
        .contains("G.711");
  }

  /**
   * G.711 decodes sample by sample, so decoded audio must be one run of the source's decoded
   * samples: found by its first 20 ms (noise, so found once), then compared whole; with {@code
   * toEnd}, it also runs to the end of the source.
   */
  private static void assertRunOfSourceSamples(byte[] pcm, boolean toEnd) {
    byte[] sourcePcm = Ffmpeg.decodedAudioS16(source);
    assertThat(pcm.length).as("decoded audio bytes").isGreaterThan(PCM_PROBE_BYTES);
    byte[] probe = Arrays.copyOf(pcm, PCM_PROBE_BYTES);
    int at = indexOf(sourcePcm, probe, 0);
    assertThat(at).as("audio start in the source").isNotNegative();
    assertThat(indexOf(sourcePcm, probe, at + 1)).as("second match of the probe").isNegative();
    assertThat(at + pcm.length).as("decoded audio ends within the source")
        .isLessThanOrEqualTo(sourcePcm.length);
    if (toEnd) {
      assertThat(at + pcm.length).as("decoded audio ends with the source audio")
          .isEqualTo(sourcePcm.length);
    }
    assertThat(Arrays.equals(pcm, 0, pcm.length, sourcePcm, at, at + pcm.length))
        .as("samples equal source samples from sample %d", at / 2).isTrue();
    // At least the source's audio from its first video key frame on: every fragment is there.
    assertThat(pcm.length).as("decoded audio bytes")
        .isGreaterThanOrEqualTo(sourcePcm.length - 2 * CodecMedia.G711_SAMPLE_RATE / 5);
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
