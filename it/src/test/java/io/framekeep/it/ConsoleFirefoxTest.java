package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;

/**
 * The web console in Firefox: Debian's Firefox ESR driven by puppeteer-core over WebDriver BiDi
 * ({@code console/test/firefox.mjs}); sign-in, the streams page with a live ingest rate, the live
 * player and the timeline, in one browser run (a Firefox start costs a few seconds). Screenshots
 * go to {@code it/target/console-screenshots/firefox-*.png} beside Chromium's.
 */
class ConsoleFirefoxTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();

  @Test
  void firefox_signInStreamsPageLivePlayerAndTimeline_allWork() {
    KinesisVideoClient kv = SERVER.kinesisVideo();
    String stream = "firefox-cam";
    Streams.create(kv, stream, 24);
    Streams.create(kv, "idle-cam", 24);
    GetMediaTest.PacedInputStream paced = new GetMediaTest.PacedInputStream(
        new ByteArrayInputStream(TestMedia.bytes(TestMedia.h264Aac(60, TestMedia.GOP_FRAMES))),
        8 * 1024, 150);
    try (PutMediaClient.Upload upload = Streams.startUpload(kv, stream, paced,
        Instant.now().truncatedTo(ChronoUnit.MILLIS))) {
      Streams.sleep(4_000); // a few fragments, so that LIVE has a playlist
      JsonNode r = ConsoleBrowserTest.run("test/firefox.mjs", ConsoleBrowserTest.scenario(SERVER,
              "firefox", InProcessServer.ACCESS_KEY_ID, InProcessServer.SECRET_ACCESS_KEY)
          .put("stream", stream).put("watchMs", 3_000));
      assertThat(paced.exhausted()).as("the upload ran during the whole test").isFalse();
      assertThat(r.get("userAgent").asText()).containsIgnoringCase("firefox");
      assertThat(r.at("/streams/rows").asInt()).isEqualTo(2);
      assertThat(r.at("/streams/state").asText()).isEqualTo("live");
      assertThat(r.at("/streams/rate").asText()).endsWith("frag/s");

      JsonNode first = r.get("first");
      JsonNode second = r.get("second");
      assertThat(second.get("fatalErrors")).isEmpty();
      assertThat(second.get("mode").asText()).isEqualTo("LIVE");
      assertThat(second.get("protocol").asText()).isEqualTo("HLS");
      assertThat(second.get("currentTime").asDouble() - first.get("currentTime").asDouble())
          .as("seconds played in 3 s").isGreaterThan(1.5);
      assertThat(second.get("decodedFrames").asInt() - first.get("decodedFrames").asInt())
          .as("frames decoded in 3 s").isGreaterThan(45);

      assertThat(r.at("/timeline/spans").asInt()).isPositive();
      assertThat(r.at("/timeline/media").asText()).as("pixel over media").isEqualTo("46,133,64");
      assertThat(r.at("/timeline/firstSpanX").asDouble()).isGreaterThan(2);
      assertThat(r.at("/timeline/beforeMedia").asText()).as("pixel before the media")
          .isEqualTo("217,217,222");
    }
  }
}
