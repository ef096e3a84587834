package io.framekeep.server.control;

import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.error.ApiException;
import io.framekeep.api.json.Json;
import io.framekeep.api.model.DeleteStreamRequest;
import io.framekeep.api.model.EmptyResponse;
import io.framekeep.server.StreamResolver;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;
import io.framekeep.storage.StreamRecord;
import java.io.IOException;

/** {@code POST /deleteStream}: the stream and its media are gone at once. */
public final class DeleteStreamOperation implements Operation {
  private final ControlContext context;

  public DeleteStreamOperation(ControlContext context) {
    this.context = context;
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) throws IOException {
    DeleteStreamRequest request = Json.read(body, DeleteStreamRequest.class).validate();
    StreamRecord stream = context.catalog().byArn(request.streamArn())
        .orElseThrow(() -> ApiException.resourceNotFound(StreamResolver.NOT_FOUND_MESSAGE));
    Versions.requireCurrent(stream, request.currentVersion());
    context.catalog().delete(stream.streamId());
    return new Response.Json(new EmptyResponse());
  }
}
