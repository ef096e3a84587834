package io.framekeep.server.http;

import io.framekeep.api.auth.SignedRequest;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Turns a Netty request head into the framework-free form the SigV4 verifier reads. */
public final class SignedRequests {
  private SignedRequests() {}

  /**
   * @param payloadSha256Hex hex SHA-256 of the buffered body, or null for a streamed body
   */
  public static SignedRequest of(HttpRequest request, String payloadSha256Hex) {
    Map<String, List<String>> headers = new TreeMap<>();
    for (Map.Entry<String, String> h : request.headers()) {
      headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(h.getValue());
    }
    String uri = request.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? "" : uri.substring(q + 1);
    return new SignedRequest(request.method().name(), path, query, headers, payloadSha256Hex);
  }
}
