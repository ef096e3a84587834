package io.framekeep.server.playback;

import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.json.Json;
import io.framekeep.api.model.GetDASHStreamingSessionURLRequest;
import io.framekeep.api.model.GetDASHStreamingSessionURLResponse;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;

/** {@code POST /getDASHStreamingSessionURL}: a signed DASH session URL (spec §3.6). */
final class GetDashSessionUrlOperation implements Operation {
  private final SessionStarter starter;

  GetDashSessionUrlOperation(SessionStarter starter) {
    this.starter = starter;
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) throws Exception {
    GetDASHStreamingSessionURLRequest r =
        Json.read(body, GetDASHStreamingSessionURLRequest.class).validate();
    SessionStarter.Ask ask = new SessionStarter.Ask(PlaybackSession.Protocol.DASH, r.streamName(),
        r.streamArn(), r.mode(), r.selectorType(), r.dashFragmentSelector(), false,
        PlaybackSession.Discontinuity.NEVER, r.displayTimestamps(), r.displayNumbers(),
        r.expiresOrDefault(), r.maxFragmentsOrDefault());
    String url = starter.start(ask, PlaybackEndpoints.DASH_MANIFEST);
    return new Response.Json(new GetDASHStreamingSessionURLResponse(url));
  }
}
