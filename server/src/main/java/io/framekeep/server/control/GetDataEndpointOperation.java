package io.framekeep.server.control;

import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.json.Json;
import io.framekeep.api.model.GetDataEndpointRequest;
import io.framekeep.api.model.GetDataEndpointResponse;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;

/** {@code POST /getDataEndpoint}: one listener serves every API, so it is always our own URL. */
public final class GetDataEndpointOperation implements Operation {
  private final ControlContext context;

  public GetDataEndpointOperation(ControlContext context) {
    this.context = context;
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) {
    GetDataEndpointRequest request = Json.read(body, GetDataEndpointRequest.class).validate();
    context.resolver().resolve(request.streamName(), request.streamArn());
    return new Response.Json(new GetDataEndpointResponse(context.baseUrl().get()));
  }
}
