package io.framekeep.server.control;

import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.error.ApiException;
import io.framekeep.api.json.Json;
import io.framekeep.api.model.DataRetentionOperation;
import io.framekeep.api.model.EmptyResponse;
import io.framekeep.api.model.UpdateDataRetentionRequest;
import io.framekeep.api.model.Validation;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;
import io.framekeep.storage.StreamRecord;

/** {@code POST /updateDataRetention}: raise or lower retention by a number of hours. */
public final class UpdateDataRetentionOperation implements Operation {
  private final ControlContext context;

  public UpdateDataRetentionOperation(ControlContext context) {
    this.context = context;
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) {
    UpdateDataRetentionRequest request =
        Json.read(body, UpdateDataRetentionRequest.class).validate();
    StreamRecord stream = context.resolver().resolve(request.streamName(), request.streamArn());
    Versions.requireCurrent(stream, request.currentVersion());
    int change = request.dataRetentionChangeInHours();
    long hours = DataRetentionOperation.valueOf(request.operation())
        == DataRetentionOperation.INCREASE_DATA_RETENTION
        ? (long) stream.dataRetentionHours() + change
        : (long) stream.dataRetentionHours() - change;
    if (hours < 0 || hours > Validation.DATA_RETENTION_HOURS_MAX) {
      throw ApiException.invalidArgument("The resulting data retention of " + hours
          + " hours is outside 0.." + Validation.DATA_RETENTION_HOURS_MAX + ".");
    }
    Versions.replace(context, stream, StreamViews.withVersion(stream, StreamViews.newVersion(),
        stream.deviceName(), stream.mediaType(), (int) hours));
    return new Response.Json(new EmptyResponse());
  }
}
