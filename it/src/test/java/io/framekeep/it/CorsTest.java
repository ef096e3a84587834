package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.HLSPlaybackMode;

/**
 * Browser access from another origin: the preflight a browser sends before a signed API call is
 * answered with the methods and headers it asks for, and every response (API answers, AWS
 * errors, HLS playlists) allows any origin and exposes the AWS headers, so a web page can use the
 * AWS SDK for JavaScript and hls.js against the server.
 */
class CorsTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();
  private static final String PAGE_ORIGIN = "http://localhost:3000";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void preflight_signedPostFromAnotherOrigin_allowedWithTheRequestedHeaders() throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
            URI.create(SERVER.baseUrl() + "/getHLSStreamingSessionURL"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", PAGE_ORIGIN)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers",
            "authorization,content-type,x-amz-date,x-amz-user-agent")
        .build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(response.headers().firstValue("Access-Control-Allow-Methods").orElseThrow())
        .contains("POST", "GET");
    assertThat(response.headers().firstValue("Access-Control-Allow-Headers"))
        .hasValue("authorization,content-type,x-amz-date,x-amz-user-agent");
    assertThat(response.body()).isEmpty();
  }

  @Test
  void responses_errorsAndPlaylists_allowAnyOriginAndExposeAwsHeaders() throws Exception {
    HttpResponse<String> unsigned = HTTP.send(HttpRequest.newBuilder(
            URI.create(SERVER.baseUrl() + "/describeStream"))
        .header("Origin", PAGE_ORIGIN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"StreamName\":\"x\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(unsigned.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(unsigned.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
        .contains("x-amzn-RequestId", "x-amzn-ErrorType");

    KinesisVideoClient kv = SERVER.kinesisVideo();
    Streams.create(kv, "cors", 24);
    Streams.Ingest ingest = Streams.ingestTestMedia(kv, "cors");
    String url = SERVER.archivedMedia(
            Streams.dataEndpoint(kv, "cors", APIName.GET_HLS_STREAMING_SESSION_URL))
        .getHLSStreamingSessionURL(r -> r.streamName("cors").playbackMode(HLSPlaybackMode.ON_DEMAND)
            .hlsFragmentSelector(s -> s.fragmentSelectorType(
                    HLSFragmentSelectorType.PRODUCER_TIMESTAMP)
                .timestampRange(t -> t.startTimestamp(ingest.producerStart())
                    .endTimestamp(ingest.producerStart().plusSeconds(11)))))
        .hlsStreamingSessionURL();
    HttpResponse<String> playlist = HTTP.send(HttpRequest.newBuilder(URI.create(url))
        .header("Origin", PAGE_ORIGIN).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(playlist.statusCode()).isEqualTo(200);
    assertThat(playlist.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
  }
}
