package io.framekeep.server.control;

import io.framekeep.api.StreamArns;
import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import io.framekeep.api.json.Json;
import io.framekeep.api.model.CreateStreamRequest;
import io.framekeep.api.model.CreateStreamResponse;
import io.framekeep.api.model.StreamStatus;
import io.framekeep.api.model.StorageTier;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;
import io.framekeep.storage.StreamExistsException;
import io.framekeep.storage.StreamRecord;
import java.util.Map;

/** {@code POST /createStream}. Streams are ACTIVE as soon as this returns. */
public final class CreateStreamOperation implements Operation {
  /** The KMS key AWS uses when none is given. */
  static final String DEFAULT_KMS_KEY_ALIAS = "alias/aws/kinesisvideo";

  private final ControlContext context;

  public CreateStreamOperation(ControlContext context) {
    this.context = context;
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) {
    CreateStreamRequest request = Json.read(body, CreateStreamRequest.class).validate();
    if (context.catalog().count() >= ControlContext.MAX_STREAMS) {
      throw ApiException.of(AwsError.ACCOUNT_STREAM_LIMIT_EXCEEDED,
          "The account has reached its limit of " + ControlContext.MAX_STREAMS + " streams.");
    }
    long now = context.clock().millis();
    String kmsKeyId = request.kmsKeyId() != null ? request.kmsKeyId()
        : "arn:aws:kms:" + context.region() + ":" + context.accountId() + ":"
            + DEFAULT_KMS_KEY_ALIAS;
    String tier = request.streamStorageConfiguration() != null
        ? request.streamStorageConfiguration().defaultStorageTier()
        : StorageTier.HOT.name();
    StreamRecord stream = new StreamRecord(0, request.streamName(),
        StreamArns.format(context.region(), context.accountId(), request.streamName(), now),
        request.deviceName(), request.mediaType(), kmsKeyId, StreamViews.newVersion(),
        StreamStatus.ACTIVE.name(), now,
        request.dataRetentionInHours() == null ? 0 : request.dataRetentionInHours(), tier);
    try {
      StreamRecord created = context.catalog().create(stream,
          request.tags() == null ? Map.of() : request.tags());
      return new Response.Json(new CreateStreamResponse(created.arn()));
    } catch (StreamExistsException e) {
      throw ApiException.of(AwsError.RESOURCE_IN_USE,
          "The stream " + request.streamName() + " already exists.");
    }
  }
}
