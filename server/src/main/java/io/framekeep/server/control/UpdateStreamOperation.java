package io.framekeep.server.control;

import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.json.Json;
import io.framekeep.api.model.EmptyResponse;
import io.framekeep.api.model.UpdateStreamRequest;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;
import io.framekeep.storage.StreamRecord;

/** {@code POST /updateStream}: device name and media type, guarded by CurrentVersion. */
public final class UpdateStreamOperation implements Operation {
  private final ControlContext context;

  public UpdateStreamOperation(ControlContext context) {
    this.context = context;
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) {
    UpdateStreamRequest request = Json.read(body, UpdateStreamRequest.class).validate();
    StreamRecord stream = context.resolver().resolve(request.streamName(), request.streamArn());
    Versions.requireCurrent(stream, request.currentVersion());
    StreamRecord updated = StreamViews.withVersion(stream, StreamViews.newVersion(),
        request.deviceName() != null ? request.deviceName() : stream.deviceName(),
        request.mediaType() != null ? request.mediaType() : stream.mediaType(),
        stream.dataRetentionHours());
    Versions.replace(context, stream, updated);
    return new Response.Json(new EmptyResponse());
  }
}
