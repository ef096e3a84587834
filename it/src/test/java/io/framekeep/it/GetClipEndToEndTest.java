package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.framekeep.it.PutMediaClient.Ack;
import java.math.BigInteger;
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
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.GetClipResponse;

/**
 * The main path, end to end through the AWS SDK v2 clients: CreateStream, GetDataEndpoint,
 * PutMedia of ten seconds of H.264 + AAC, ListFragments, GetClip; the clip is checked by decoding
 * it with ffmpeg and comparing frame hashes with the source.
 */
class GetClipEndToEndTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();
  private static final String STREAM = "e2e-h264-aac";
  /** First fragment of the middle clip; the clip spans this one and the next two. */
  private static final int MIDDLE_FIRST_FRAGMENT = 3;
  private static final int MIDDLE_FRAGMENTS = 3;

  @TempDir static Path tmp;

  private static KinesisVideoClient kv;
  private static Streams.Ingest ingest;
  private static List<Long> clusterTimecodesMs;
  private static List<Fragment> fragments;
  private static Path wholeClip;
  private static GetClipResponse wholeClipResponse;

  @BeforeAll
  static void uploadAndList() {
    clusterTimecodesMs = Ffmpeg.clusterTimecodesMs(TestMedia.h264Aac());
    kv = SERVER.kinesisVideo();
    Streams.create(kv, STREAM, 24);
    ingest = Streams.ingestTestMedia(kv, STREAM);
    fragments = Streams.awaitFragments(archived(APIName.LIST_FRAGMENTS), STREAM,
        Streams.wholeIngestByProducerTime(ingest), clusterTimecodesMs.size());
  }

  private static KinesisVideoArchivedMediaClient archived(APIName api) {
    return SERVER.archivedMedia(Streams.dataEndpoint(kv, STREAM, api));
  }

  @Test
  void testMedia_clusters_oneSecondGopsOfTenSecondFile() {
    assertThat(clusterTimecodesMs).hasSizeGreaterThanOrEqualTo(TestMedia.DURATION_SECONDS);
    assertThat(clusterTimecodesMs).isSorted();
  }

  @Test
  void putMedia_h264AacUpload_acksEveryClusterBufferingReceivedPersisted() {
    PutMediaClient.Response response = ingest.response();
    assertThat(response.acks("ERROR")).isEmpty();
    for (String type : List.of("BUFFERING", "RECEIVED", "PERSISTED")) {
      assertThat(response.acks(type)).as(type + " timecodes")
          .extracting(Ack::fragmentTimecode).containsExactlyElementsOf(clusterTimecodesMs);
    }
    List<String> numbers = response.acks("BUFFERING").stream().map(Ack::fragmentNumber).toList();
    assertThat(numbers).allSatisfy(n -> assertThat(n).matches("[0-9]{47}"));
    assertThat(numbers.stream().map(BigInteger::new).toList()).isSortedAccordingTo(
        BigInteger::compareTo).doesNotHaveDuplicates();
    assertThat(response.acks("RECEIVED")).extracting(Ack::fragmentNumber)
        .containsExactlyElementsOf(numbers);
    assertThat(response.acks("PERSISTED")).extracting(Ack::fragmentNumber)
        .containsExactlyElementsOf(numbers);
    assertThat(response.acks()).filteredOn(a -> !"IDLE".equals(a.eventType()))
        .allSatisfy(a -> {
          assertThat(a.json().get("FragmentNumber").isTextual()).as("FragmentNumber is a string")
              .isTrue();
          assertThat(a.json().get("FragmentTimecode").isIntegralNumber())
              .as("FragmentTimecode is a number").isTrue();
        });
  }

  @Test
  void listFragments_serverTimestampRangeAroundUpload_returnsAckedFragments() {
    Instant from = ingest.serverBefore().minusSeconds(1);
    Instant to = ingest.serverAfter().plusSeconds(1);
    List<Fragment> listed = Streams.listAll(archived(APIName.LIST_FRAGMENTS), STREAM,
        Streams.selector(FragmentSelectorType.SERVER_TIMESTAMP, from, to), null);

    assertThat(listed).extracting(Fragment::fragmentNumber).containsExactlyElementsOf(persisted());
    Instant earliest = ingest.serverBefore().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    assertThat(listed).allSatisfy(f -> {
      assertThat(f.fragmentSizeInBytes()).isPositive();
      assertThat(f.serverTimestamp()).isBetween(earliest, ingest.serverAfter());
    });
    for (int i = 0; i < listed.size() - 1; i++) {
      assertThat(listed.get(i).fragmentLengthInMilliseconds()).as("length of fragment %d", i)
          .isCloseTo(1000L, within(150L));
    }
    assertThat(listed.get(listed.size() - 1).fragmentLengthInMilliseconds()).as("last length")
        .isBetween(1L, 1150L);
  }

  @Test
  void listFragments_producerTimestampRange_producerTimesAreStartPlusClusterTimecode() {
    assertThat(fragments).extracting(Fragment::fragmentNumber)
        .containsExactlyElementsOf(persisted());
    for (int i = 0; i < fragments.size(); i++) {
      assertThat(fragments.get(i).producerTimestamp()).as("producer timestamp of fragment %d", i)
          .isEqualTo(ingest.producerStart().plusMillis(clusterTimecodesMs.get(i)));
    }
  }

  @Test
  void listFragments_maxResultsThree_pagesCoverEveryFragmentOnce() {
    List<Fragment> paged = Streams.listAll(archived(APIName.LIST_FRAGMENTS), STREAM,
        Streams.wholeIngestByProducerTime(ingest), 3);

    assertThat(paged).extracting(Fragment::fragmentNumber).containsExactlyElementsOf(persisted());
  }

  @Test
  void getClip_wholeStream_isProgressiveMp4WithH264AndAacThatDecodesCleanly() {
    Path clip = wholeClip();

    assertThat(wholeClipResponse.contentType()).isEqualTo("video/mp4");
    assertThat(Ffmpeg.codecNames(clip)).containsExactly("h264", "aac");
    List<String> boxes = Ffmpeg.topLevelBoxes(clip);
    assertThat(boxes).first().isEqualTo("ftyp");
    assertThat(boxes).contains("moov", "mdat").doesNotContain("moof");
    assertThat(boxes.indexOf("moov")).as("moov before mdat: %s", boxes)
        .isLessThan(boxes.indexOf("mdat"));
    assertThat(Ffmpeg.decodeErrors(clip)).isEmpty();
  }

  @Test
  void getClip_wholeStream_everyVideoFrameEqualsSourceFrame() {
    List<String> source = Ffmpeg.hashes(Ffmpeg.videoFrames(TestMedia.h264Aac()));
    List<String> clip = Ffmpeg.hashes(Ffmpeg.videoFrames(wholeClip()));

    assertThat(source).hasSize(TestMedia.VIDEO_FRAME_COUNT);
    MediaAsserts.assertFramesEqualSource(clip, source, 0, TestMedia.VIDEO_FRAME_COUNT);
  }

  /**
   * Every AAC packet of the upload is in the clip, unchanged, including the first (0 ms, stored
   * in the first cluster before the first video frame at 21 ms). The clip's timeline starts at its
   * first video frame: the edit list hides the audio before it, so what decodes is the audio from
   * that frame on.
   */
  @Test
  void getClip_wholeStream_audioPacketsEqualSourceFromFirstFragmentStart() {
    List<Ffmpeg.Frame> clipPackets = Ffmpeg.audioPacketsIgnoringEditList(wholeClip());
    List<Ffmpeg.Frame> source = Ffmpeg.audioPackets(TestMedia.h264Aac());
    MediaAsserts.assertAudioPacketsEqualSource(clipPackets, source, Long.MIN_VALUE,
        Long.MAX_VALUE);

    long firstVideoMs = Ffmpeg.videoKeyFrames(TestMedia.h264Aac()).get(0).ptsMs();
    long shown = source.stream().filter(p -> p.ptsMs() >= firstVideoMs).count();
    List<Ffmpeg.Frame> decoded = Ffmpeg.audioFrames(wholeClip());
    assertThat(MediaAsserts.totalDurationTicks(decoded)).as("decoded audio samples")
        .isCloseTo(shown * TestMedia.AAC_FRAME_SAMPLES,
            within((long) TestMedia.AAC_FRAME_SAMPLES));
  }

  @Test
  void getClip_middleProducerRange_framesEqualSourceFromThatFragmentsKeyFrame() {
    Fragment first = fragments.get(MIDDLE_FIRST_FRAGMENT);
    Fragment last = fragments.get(MIDDLE_FIRST_FRAGMENT + MIDDLE_FRAGMENTS - 1);
    Path clip = tmp.resolve("middle.mp4");
    archived(APIName.GET_CLIP).getClip(r -> r.streamName(STREAM).clipFragmentSelector(s -> s
            .fragmentSelectorType(ClipFragmentSelectorType.PRODUCER_TIMESTAMP)
            .timestampRange(t -> t.startTimestamp(first.producerTimestamp())
                .endTimestamp(last.producerTimestamp()))),
        ResponseTransformer.toFile(clip));

    // The fragment starts at its cluster timecode, producer time minus the upload's start time.
    // Its first video frame is the first key frame at or after that: the cluster may open with
    // audio a few tens of ms before the key frame (ffmpeg interleaves by DTS, and B-frames put
    // the key frame's DTS before its PTS), so the plain "(producer time - start) x 30 fps" lands
    // two or three frames early; it must still agree to within that.
    long fragmentStartMs = first.producerTimestamp().toEpochMilli()
        - ingest.producerStart().toEpochMilli();
    Ffmpeg.KeyFrame keyFrame = Ffmpeg.videoKeyFrames(TestMedia.h264Aac()).stream()
        .filter(k -> k.ptsMs() >= fragmentStartMs).findFirst().orElseThrow();
    int offset = keyFrame.presentationIndex();
    assertThat((double) offset).isCloseTo(
        fragmentStartMs * TestMedia.VIDEO_FRAMES_PER_SECOND / 1000.0, within(3.0));
    List<String> source = Ffmpeg.hashes(Ffmpeg.videoFrames(TestMedia.h264Aac()));
    MediaAsserts.assertFramesEqualSource(Ffmpeg.hashes(Ffmpeg.videoFrames(clip)), source, offset,
        MIDDLE_FRAGMENTS * TestMedia.GOP_FRAMES);

    // Audio: every packet of the selected fragments, from the first fragment's start (the audio
    // the cluster carries before its key frame, so consecutive clips lose none) to the start of
    // the next fragment; playback, behind the edit list, starts at the key frame.
    long startMs = clusterTimecodesMs.get(MIDDLE_FIRST_FRAGMENT);
    long endMs = clusterTimecodesMs.get(MIDDLE_FIRST_FRAGMENT + MIDDLE_FRAGMENTS);
    List<Ffmpeg.Frame> sourceAudio = Ffmpeg.audioPackets(TestMedia.h264Aac());
    MediaAsserts.assertAudioPacketsEqualSource(Ffmpeg.audioPacketsIgnoringEditList(clip),
        sourceAudio, startMs, endMs);
    long shown = sourceAudio.stream()
        .filter(p -> p.ptsMs() >= keyFrame.ptsMs() && p.ptsMs() < endMs).count();
    assertThat(MediaAsserts.totalDurationTicks(Ffmpeg.audioFrames(clip)))
        .as("decoded audio samples")
        .isCloseTo(shown * TestMedia.AAC_FRAME_SAMPLES,
            within((long) TestMedia.AAC_FRAME_SAMPLES));
    assertThat(Ffmpeg.decodeErrors(clip)).isEmpty();
  }

  /** The clip of the whole upload, fetched once by SERVER_TIMESTAMP. */
  private static synchronized Path wholeClip() {
    if (wholeClip == null) {
      Path clip = tmp.resolve("whole.mp4");
      Instant end = Instant.now();
      wholeClipResponse = archived(APIName.GET_CLIP).getClip(r -> r.streamName(STREAM)
              .clipFragmentSelector(s -> s
                  .fragmentSelectorType(ClipFragmentSelectorType.SERVER_TIMESTAMP)
                  .timestampRange(t -> t.startTimestamp(ingest.serverBefore().minusSeconds(1))
                      .endTimestamp(end))),
          ResponseTransformer.toFile(clip));
      wholeClip = clip;
    }
    return wholeClip;
  }

  private static List<String> persisted() {
    return ingest.response().acks("PERSISTED").stream().map(Ack::fragmentNumber).toList();
  }
}
