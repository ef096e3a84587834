package io.framekeep.server.playback;

import io.framekeep.api.error.ApiException;
import io.framekeep.server.StreamResolver;
import io.framekeep.server.TimeEndpoint;
import io.framekeep.server.http.HttpRouter;
import io.framekeep.server.http.Operation;
import io.framekeep.server.quota.FragmentQuotas;
import io.framekeep.server.quota.RequestRate;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.StreamCatalog;
import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.server.http.Response;
import java.io.IOException;
import java.time.Clock;
import java.util.function.Function;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * HLS and DASH playback (spec §3.5, §3.6), wired for the routing table: the two SigV4-signed JSON
 * operations that open sessions, and the session-token-authorised GET resources under {@code
 * /hls/v1/} and {@code /dash/v1/}. HLS sessions use fragmented MP4 or MPEG-TS segments; DASH
 * sessions fragmented MP4. Thread-safe.
 */
public final class Playback {
  /** Length of the key signing session URLs (HMAC-SHA256). */
  public static final int SESSION_KEY_BYTES = SessionTokens.KEY_BYTES;

  /** The name of that key among the storage's shared secrets. */
  public static final String SESSION_KEY_NAME = "playback-session-key";

  private final SessionStarter starter;
  private final PlaybackEndpoints endpoints;

  /**
   * @param quotasEnabled whether AWS's rates of session requests per stream and of playback
   *     requests per session are enforced
   * @param maxFragmentDurationMs longest fragment the stream can hold (how far LIVE looks back)
   * @param baseUrl the server's base URL, the prefix of session URLs
   * @param sessionKey {@link #SESSION_KEY_BYTES} bytes signing session URLs: the same key on
   *     every server that must accept the URLs this one issues
   */
  public Playback(StreamCatalog catalog, FragmentLog log, StreamResolver resolver,
      FragmentQuotas quotas, boolean quotasEnabled, long maxFragmentDurationMs,
      Supplier<String> baseUrl, Clock clock, byte[] sessionKey) {
    if (sessionKey.length != SESSION_KEY_BYTES) {
      throw new IllegalArgumentException("session key must have " + SESSION_KEY_BYTES + " bytes");
    }
    SessionTokens tokens = new SessionTokens(sessionKey, clock);
    SessionFragments fragments = new SessionFragments(log, maxFragmentDurationMs);
    PlaybackHeaders headers = new PlaybackHeaders(log);
    RequestRate rate = new RequestRate(quotasEnabled,
        SessionStarter.AWS_SESSION_URLS_PER_SECOND, "streaming session requests per stream",
        clock);
    this.starter =
        new SessionStarter(resolver, fragments, headers, tokens, rate, baseUrl, clock);
    this.endpoints =
        new PlaybackEndpoints(tokens, catalog, log, fragments, headers, quotas,
            new SessionActionRates(quotasEnabled, clock),
            () -> baseUrl.get() + TimeEndpoint.PATH, clock);
  }

  /** {@code /getHLSStreamingSessionURL} and {@code /getDASHStreamingSessionURL}. */
  public Map<String, Operation> sessionOperations() {
    return Map.of(
        "/getHLSStreamingSessionURL", new GetHlsSessionUrlOperation(starter),
        "/getDASHStreamingSessionURL", new GetDashSessionUrlOperation(starter));
  }

  /**
   * The GET resources, keyed {@link HttpRouter#GET_ROUTE_PREFIX} + path. They must not be wrapped
   * in the SigV4 permission check: the session token is their credential.
   */
  public Map<String, Operation> sessionResources() {
    Map<String, Operation> routes = new HashMap<>();
    endpoints.resources().forEach((path, resource) ->
        routes.put(HttpRouter.GET_ROUTE_PREFIX + path, new ResourceOperation(resource)));
    return Map.copyOf(routes);
  }

  /** Adapts a GET resource to the routing table's operation shape. */
  private static final class ResourceOperation implements Operation {
    private final PlaybackEndpoints.Resource resource;

    ResourceOperation(PlaybackEndpoints.Resource resource) {
      this.resource = resource;
    }

    @Override
    public Response handle(byte[] body, VerifiedCaller caller) {
      throw ApiException.invalidArgument("The request has no URI.");
    }

    @Override
    public Response handle(byte[] body, VerifiedCaller caller, Function<String, String> headers)
        throws IOException {
      String uri = headers.apply(HttpRouter.REQUEST_URI_HEADER);
      if (uri == null) {
        return handle(body, caller);
      }
      return resource.get(PlaybackEndpoints.query(uri));
    }
  }
}
