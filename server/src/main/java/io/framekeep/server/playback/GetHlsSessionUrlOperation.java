package io.framekeep.server.playback;

import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.json.Json;
import io.framekeep.api.model.GetHLSStreamingSessionURLRequest;
import io.framekeep.api.model.GetHLSStreamingSessionURLResponse;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;

/** {@code POST /getHLSStreamingSessionURL}: a signed HLS session URL (spec §3.5). */
final class GetHlsSessionUrlOperation implements Operation {
  private final SessionStarter starter;

  GetHlsSessionUrlOperation(SessionStarter starter) {
    this.starter = starter;
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) throws Exception {
    GetHLSStreamingSessionURLRequest r =
        Json.read(body, GetHLSStreamingSessionURLRequest.class).validate();
    boolean mpegTs = r.container() == GetHLSStreamingSessionURLRequest.ContainerFormat.MPEG_TS;
    SessionStarter.Ask ask = new SessionStarter.Ask(PlaybackSession.Protocol.HLS, r.streamName(),
        r.streamArn(), r.mode(), r.selectorType(), r.hlsFragmentSelector(), mpegTs,
        PlaybackSession.Discontinuity.valueOf(r.discontinuity().name()), r.displayTimestamps(),
        false, r.expiresOrDefault(), r.maxFragmentsOrDefault());
    String url = starter.start(ask, PlaybackEndpoints.HLS_MASTER);
    return new Response.Json(new GetHLSStreamingSessionURLResponse(url));
  }
}
