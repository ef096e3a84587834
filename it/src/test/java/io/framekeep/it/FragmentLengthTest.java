package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHDisplayFragmentTimestamp;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.DASHPlaybackMode;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSDisplayFragmentTimestamp;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSPlaybackMode;

/**
 * Fragment lengths of interleaved H.264 + AAC: 60 s of media ({@link TestMedia#h264Aac(int,
 * int)}, 30 fps, 60-frame GOPs, so 30 fragments of 2.000 s of video, each cluster starting with
 * an AAC frame a few ms before its key frame) uploaded with PutMedia. The HLS {@code #EXTINF}
 * values, {@code #EXT-X-PROGRAM-DATE-TIME} steps, the DASH video timeline and ListFragments'
 * {@code FragmentLengthInMilliseconds} must all describe the same 2.000 s fragments and add up to
 * 60.0 s, each within one video frame.
 */
class FragmentLengthTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();
  private static final String STREAM = "fragment-length-60s";
  private static final int SECONDS = 60;
  /** Two seconds of 30 fps video per GOP, hence per fragment. */
  private static final int GOP_FRAMES = 60;
  private static final int FRAGMENTS = SECONDS * TestMedia.VIDEO_FRAMES_PER_SECOND / GOP_FRAMES;
  private static final double FRAGMENT_SECONDS = 2.000;
  /** One video frame: the tolerance of every comparison. */
  private static final double FRAME_SECONDS = 1.0 / TestMedia.VIDEO_FRAMES_PER_SECOND;
  /** Producer start in the past, so that no timestamp is in the future. */
  private static final long PRODUCER_START_AGO_SECONDS = 300;
  private static final Pattern EXTINF = Pattern.compile("^#EXTINF:([0-9.]+),");
  private static final Pattern PROGRAM_DATE_TIME = Pattern.compile(
      "^#EXT-X-PROGRAM-DATE-TIME:(.+)$");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static KinesisVideoClient kv;
  private static Instant producerStart;

  @BeforeAll
  static void upload() {
    kv = SERVER.kinesisVideo();
    Streams.create(kv, STREAM, 24);
    producerStart = Instant.now().minusSeconds(PRODUCER_START_AGO_SECONDS)
        .truncatedTo(ChronoUnit.MILLIS);
    byte[] mkv = TestMedia.bytes(TestMedia.h264Aac(SECONDS, GOP_FRAMES));
    assertThat(MkvEdit.of(mkv).clusterCount()).isEqualTo(FRAGMENTS);
    Streams.Ingest ingest = Streams.ingest(kv, STREAM, new ByteArrayInputStream(mkv),
        producerStart);
    assertThat(ingest.response().acks("ERROR")).as("error acks").isEmpty();
    assertThat(fragments()).hasSize(FRAGMENTS);
  }

  private static List<Fragment> fragments() {
    return Streams.awaitFragments(
        SERVER.archivedMedia(Streams.dataEndpoint(kv, STREAM, APIName.LIST_FRAGMENTS)), STREAM,
        Streams.selector(FragmentSelectorType.PRODUCER_TIMESTAMP, producerStart,
            producerStart.plusSeconds(SECONDS + 1)), FRAGMENTS);
  }

  @Test
  void hlsExtinf_interleavedAudioVideo_twoSecondsEachSixtyInAll() {
    List<Double> extinf = extinfSeconds();

    assertThat(extinf).hasSize(FRAGMENTS);
    assertThat(extinf).allSatisfy(d -> assertThat(d).isCloseTo(FRAGMENT_SECONDS,
        within(FRAME_SECONDS)));
    assertThat(extinf.stream().mapToDouble(Double::doubleValue).sum()).as("sum of #EXTINF")
        .isCloseTo(SECONDS, within(FRAME_SECONDS));
  }

  @Test
  void hlsExtinf_eachSegment_matchesProgramDateTimeStep() {
    String playlist = mediaPlaylist();
    List<Double> extinf = extinfSeconds(playlist);
    List<Instant> dates = new ArrayList<>();
    for (String line : playlist.lines().toList()) {
      Matcher m = PROGRAM_DATE_TIME.matcher(line);
      if (m.matches()) {
        dates.add(Instant.parse(m.group(1)));
      }
    }
    assertThat(dates).hasSize(FRAGMENTS);
    for (int i = 0; i + 1 < dates.size(); i++) {
      double stepSeconds = (dates.get(i + 1).toEpochMilli() - dates.get(i).toEpochMilli()) / 1000.0;
      assertThat(extinf.get(i)).as("#EXTINF of segment %d vs its program-date-time step", i)
          .isCloseTo(stepSeconds, within(FRAME_SECONDS));
    }
  }

  @Test
  void dashVideoTimeline_eachSegment_matchesExtinf() {
    List<Double> extinf = extinfSeconds();
    String manifest = get(SERVER.archivedMedia(
            Streams.dataEndpoint(kv, STREAM, APIName.GET_DASH_STREAMING_SESSION_URL))
        .getDASHStreamingSessionURL(r -> r.streamName(STREAM)
            .playbackMode(DASHPlaybackMode.ON_DEMAND)
            .displayFragmentTimestamp(DASHDisplayFragmentTimestamp.ALWAYS)
            .dashFragmentSelector(s -> s
                .fragmentSelectorType(DASHFragmentSelectorType.PRODUCER_TIMESTAMP)
                .timestampRange(t -> t.startTimestamp(producerStart)
                    .endTimestamp(producerStart.plusSeconds(SECONDS + 1)))))
        .dashStreamingSessionURL());
    Matcher video = Pattern.compile("mimeType=\"video/mp4\".*?<SegmentTemplate timescale=\"(\\d+)\""
        + ".*?<SegmentTimeline>(.*?)</SegmentTimeline>", Pattern.DOTALL).matcher(manifest);
    assertThat(video.find()).as("video adaptation set in %s", manifest).isTrue();
    double timescale = Double.parseDouble(video.group(1));
    Matcher s = Pattern.compile("<S t=\"(\\d+)\" d=\"(\\d+)\"").matcher(video.group(2));
    List<Double> dashSeconds = new ArrayList<>();
    while (s.find()) {
      dashSeconds.add(Long.parseLong(s.group(2)) / timescale);
    }

    assertThat(dashSeconds).hasSize(FRAGMENTS);
    for (int i = 0; i < FRAGMENTS; i++) {
      assertThat(dashSeconds.get(i)).as("DASH segment %d vs #EXTINF", i)
          .isCloseTo(extinf.get(i), within(FRAME_SECONDS));
    }
    assertThat(dashSeconds.stream().mapToDouble(Double::doubleValue).sum())
        .as("DASH timeline length").isCloseTo(SECONDS, within(FRAME_SECONDS));
  }

  @Test
  void listFragments_lengths_equalExtinfAndSumToSixtySeconds() {
    List<Fragment> fragments = fragments();
    List<Double> extinf = extinfSeconds();

    long totalMs = 0;
    for (int i = 0; i < fragments.size(); i++) {
      long lengthMs = fragments.get(i).fragmentLengthInMilliseconds();
      assertThat(lengthMs / 1000.0).as("fragment %d length vs #EXTINF", i)
          .isCloseTo(extinf.get(i), within(0.0005));
      totalMs += lengthMs;
    }
    assertThat(totalMs / 1000.0).as("sum of FragmentLengthInMilliseconds")
        .isCloseTo(SECONDS, within(FRAME_SECONDS));
  }

  private static List<Double> extinfSeconds() {
    return extinfSeconds(mediaPlaylist());
  }

  private static List<Double> extinfSeconds(String playlist) {
    List<Double> seconds = new ArrayList<>();
    for (String line : playlist.lines().toList()) {
      Matcher m = EXTINF.matcher(line);
      if (m.find()) {
        seconds.add(Double.parseDouble(m.group(1)));
      }
    }
    return seconds;
  }

  /** The ON_DEMAND fMP4 media playlist of the whole upload, with program date-times. */
  private static String mediaPlaylist() {
    String master = SERVER.archivedMedia(
            Streams.dataEndpoint(kv, STREAM, APIName.GET_HLS_STREAMING_SESSION_URL))
        .getHLSStreamingSessionURL(r -> r.streamName(STREAM)
            .playbackMode(HLSPlaybackMode.ON_DEMAND)
            .displayFragmentTimestamp(HLSDisplayFragmentTimestamp.ALWAYS)
            .hlsFragmentSelector(s -> s
                .fragmentSelectorType(HLSFragmentSelectorType.PRODUCER_TIMESTAMP)
                .timestampRange(t -> t.startTimestamp(producerStart)
                    .endTimestamp(producerStart.plusSeconds(SECONDS + 1)))))
        .hlsStreamingSessionURL();
    String relative = get(master).lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
        .findFirst().orElseThrow();
    return get(URI.create(master).resolve(relative).toString());
  }

  private static String get(String url) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET()
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("GET %s: %s", url, response.body()).isEqualTo(200);
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
