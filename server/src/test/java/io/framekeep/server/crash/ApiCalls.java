package io.framekeep.server.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Unsigned JSON calls to a server run with no auth; just enough for storage-level tests. */
public final class ApiCalls {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;

  /** A response: HTTP status and body bytes. */
  public record Reply(int status, byte[] body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public ApiCalls(int port) {
    this.port = port;
  }

  public Reply post(String path, String jsonBody) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(jsonBody)).build();
    HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    return new Reply(r.statusCode(), r.body());
  }

  public void createStream(String name, int retentionHours) throws IOException, InterruptedException {
    Reply r = post("/createStream", "{\"StreamName\":\"" + name + "\",\"DataRetentionInHours\":"
        + retentionHours + "}");
    if (r.status() != 200) {
      throw new IOException("createStream " + name + ": " + r.status() + " "
          + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** Fragment numbers of all fragments with server timestamps in [startMs, endMs]. */
  public List<String> listFragmentNumbers(String stream, long startMs, long endMs)
      throws IOException, InterruptedException {
    List<String> numbers = new ArrayList<>();
    String token = null;
    do {
      String body = token == null
          ? "{\"StreamName\":\"" + stream + "\",\"FragmentSelector\":{\"FragmentSelectorType\":"
              + "\"SERVER_TIMESTAMP\",\"TimestampRange\":" + range(startMs, endMs) + "}}"
          : "{\"StreamName\":\"" + stream + "\",\"NextToken\":\"" + token + "\"}";
      Reply r = post("/listFragments", body);
      if (r.status() != 200) {
        throw new IOException("listFragments: " + r.status());
      }
      JsonNode json = r.json();
      json.path("Fragments").forEach(f -> numbers.add(f.path("FragmentNumber").asText()));
      token = json.hasNonNull("NextToken") ? json.get("NextToken").asText() : null;
    } while (token != null);
    return numbers;
  }

  /** GetClip by server timestamps. */
  public Reply getClip(String stream, long startMs, long endMs)
      throws IOException, InterruptedException {
    return post("/getClip", "{\"StreamName\":\"" + stream + "\",\"ClipFragmentSelector\":{"
        + "\"FragmentSelectorType\":\"SERVER_TIMESTAMP\",\"TimestampRange\":"
        + range(startMs, endMs) + "}}");
  }

  private static String range(long startMs, long endMs) {
    return String.format(Locale.ROOT, "{\"StartTimestamp\":%d.%03d,\"EndTimestamp\":%d.%03d}",
        startMs / 1000, startMs % 1000, endMs / 1000, endMs % 1000);
  }
}
