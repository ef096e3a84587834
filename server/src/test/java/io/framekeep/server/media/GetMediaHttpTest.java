package io.framekeep.server.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GetMedia and GetMediaForFragmentList over HTTP: the JSON errors before a body starts. */
class GetMediaHttpTest {
  @TempDir static Path dir;
  private static FramekeepServer server;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    server = FramekeepServer.start(ServerConfig.defaults(dir).withPort(0).withNoAuth());
    assertThat(post("/createStream", "{\"StreamName\":\"s\",\"DataRetentionInHours\":24}")
        .statusCode()).isEqualTo(200);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static HttpRequest request(String path, String body) {
    return HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(request(path, body), HttpResponse.BodyHandlers.ofString());
  }

  private static String errorType(HttpResponse<?> r) {
    return r.headers().firstValue("x-amzn-ErrorType").orElse("");
  }

  @Test
  void getMedia_unknownStream_resourceNotFound404() throws Exception {
    HttpResponse<String> r = post("/getMedia",
        "{\"StreamName\":\"nope\",\"StartSelector\":{\"StartSelectorType\":\"NOW\"}}");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(errorType(r)).startsWith("ResourceNotFoundException");
  }

  @Test
  void getMedia_selectorWithoutItsMember_invalidArgument400() throws Exception {
    for (String type : List.of("FRAGMENT_NUMBER", "SERVER_TIMESTAMP", "PRODUCER_TIMESTAMP",
        "CONTINUATION_TOKEN")) {
      HttpResponse<String> r = post("/getMedia",
          "{\"StreamName\":\"s\",\"StartSelector\":{\"StartSelectorType\":\"" + type + "\"}}");
      assertThat(r.statusCode()).as(type).isEqualTo(400);
      assertThat(errorType(r)).startsWith("InvalidArgumentException");
    }
    HttpResponse<String> r = post("/getMedia",
        "{\"StreamName\":\"s\",\"StartSelector\":{\"StartSelectorType\":\"LATEST\"}}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("enum value set");
  }

  @Test
  void getMediaForFragmentList_listSizeAndUnknownNumbers_invalidArgument400() throws Exception {
    HttpResponse<String> empty = post("/getMediaForFragmentList",
        "{\"StreamName\":\"s\",\"Fragments\":[]}");
    assertThat(errorType(empty)).startsWith("InvalidArgumentException");
    StringBuilder many = new StringBuilder("{\"StreamName\":\"s\",\"Fragments\":[");
    for (int i = 0; i < 1001; i++) {
      many.append(i == 0 ? "" : ",").append("\"").append(i).append("\"");
    }
    HttpResponse<String> tooMany = post("/getMediaForFragmentList", many.append("]}").toString());
    assertThat(errorType(tooMany)).startsWith("InvalidArgumentException");
    HttpResponse<String> unknown = post("/getMediaForFragmentList",
        "{\"StreamName\":\"s\",\"Fragments\":[\"1\",\"22\"]}");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("Fragment numbers are invalid : [1, 22]");
  }

  @Test
  void getMedia_emptyStream_headThenFourthConnectionRefused() throws Exception {
    String now = "{\"StreamName\":\"s\",\"StartSelector\":{\"StartSelectorType\":\"NOW\"}}";
    List<HttpResponse<InputStream>> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        HttpResponse<InputStream> r =
            HTTP.send(request("/getMedia", now), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).contains("video/webm");
        open.add(r);
      }
      HttpResponse<String> fourth = post("/getMedia", now);
      assertThat(fourth.statusCode()).isEqualTo(400);
      assertThat(errorType(fourth)).startsWith("ConnectionLimitExceededException");
    } finally {
      for (HttpResponse<InputStream> r : open) {
        r.body().close();
      }
    }
  }
}
