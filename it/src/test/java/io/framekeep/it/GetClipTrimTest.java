package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.GetClipRequest;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.InvalidArgumentException;

/**
 * Framekeep's exact-trim option: with the header {@code x-framekeep-clip-trim: exact} (added
 * through the SDK's request override configuration), the clip shows exactly the frames whose
 * producer time lies in [start, end), though it starts decoding at the key frame before.
 */
class GetClipTrimTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();
  private static final String STREAM = "clip-trim";
  @TempDir static Path tmp;

  private static Streams.Ingest ingest;
  private static KinesisVideoArchivedMediaClient clips;
  private static List<Ffmpeg.Frame> sourceFrames;
  /** Presentation times of the source's video frames as stored in the MKV, in order. */
  private static List<Long> sourcePtsMs;

  @BeforeAll
  static void upload() {
    KinesisVideoClient kv = SERVER.kinesisVideo();
    Streams.create(kv, STREAM, 24);
    ingest = Streams.ingestTestMedia(kv, STREAM);
    clips = SERVER.archivedMedia(Streams.dataEndpoint(kv, STREAM, APIName.GET_CLIP));
    sourceFrames = Ffmpeg.videoFrames(TestMedia.h264Aac());
    sourcePtsMs = Ffmpeg.run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
        "packet=pts_time", "-of", "csv=p=0", TestMedia.h264Aac().toString()).lines()
        .filter(l -> !l.isBlank()).map(l -> Math.round(Double.parseDouble(l) * 1000)).sorted()
        .toList();
  }

  private static GetClipRequest request(int fromFrame, int toFrame, String trim) {
    Instant start = ingest.producerStart().plusMillis(sourcePtsMs.get(fromFrame));
    Instant end = ingest.producerStart().plusMillis(sourcePtsMs.get(toFrame));
    return GetClipRequest.builder().streamName(STREAM)
        .clipFragmentSelector(s -> s.fragmentSelectorType(ClipFragmentSelectorType.PRODUCER_TIMESTAMP)
            .timestampRange(t -> t.startTimestamp(start).endTimestamp(end)))
        .overrideConfiguration(o -> o.putHeader("x-framekeep-clip-trim", trim))
        .build();
  }

  @Test
  void getClip_exactTrimMidGop_showsExactlyTheRequestedFrames() {
    Path clip = tmp.resolve("exact.mp4");
    clips.getClip(request(45, 126, "exact"), ResponseTransformer.toFile(clip));

    assertThat(Ffmpeg.hashes(Ffmpeg.videoFrames(clip)))
        .isEqualTo(Ffmpeg.hashes(sourceFrames).subList(45, 126));
    assertThat(Ffmpeg.decodeErrors(clip)).isEmpty();
  }

  @Test
  void getClip_fragmentsTrim_isAwsBehaviourWholeFragments() {
    Path clip = tmp.resolve("fragments.mp4");
    clips.getClip(request(45, 126, "fragments"), ResponseTransformer.toFile(clip));

    // Fragments start at frames 0, 30, 60, ...: those starting in range are 60, 90 and 120.
    assertThat(Ffmpeg.hashes(Ffmpeg.videoFrames(clip)))
        .isEqualTo(Ffmpeg.hashes(sourceFrames).subList(60, 150));
  }

  @Test
  void getClip_unknownTrimValue_invalidArgument() {
    assertThatThrownBy(() -> clips.getClipAsBytes(request(45, 126, "sloppy")))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("x-framekeep-clip-trim");
  }
}
