package io.framekeep.server.control;

import io.framekeep.api.json.Json;
import io.framekeep.api.model.DescribeStreamStorageConfigurationRequest;
import io.framekeep.api.model.DescribeStreamStorageConfigurationResponse;
import io.framekeep.api.model.EmptyResponse;
import io.framekeep.api.model.StorageTier;
import io.framekeep.api.model.StreamStorageConfiguration;
import io.framekeep.api.model.UpdateStreamStorageConfigurationRequest;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;
import io.framekeep.storage.StreamRecord;

/**
 * {@code POST /describeStreamStorageConfiguration} and
 * {@code POST /updateStreamStorageConfiguration}: a stream's default storage tier, {@code HOT} unless CreateStream or an update chose {@code WARM}.
 * The tier is kept and reported as AWS does; Framekeep stores every tier alike (one local store).
 */
public final class StreamStorageConfigurationOperations {
  private final ControlContext context;

  public StreamStorageConfigurationOperations(ControlContext context) {
    this.context = context;
  }

  public Operation describe() {
    return (body, caller) -> {
      DescribeStreamStorageConfigurationRequest request =
          Json.read(body, DescribeStreamStorageConfigurationRequest.class).validate();
      StreamRecord stream = context.resolver().resolve(request.streamName(), request.streamArn());
      return new Response.Json(new DescribeStreamStorageConfigurationResponse(stream.name(),
          stream.arn(), new StreamStorageConfiguration(tier(stream))));
    };
  }

  /** Changes the tier under the CurrentVersion rule; a new version, as other stream updates. */
  public Operation update() {
    return (body, caller) -> {
      UpdateStreamStorageConfigurationRequest request =
          Json.read(body, UpdateStreamStorageConfigurationRequest.class).validate();
      StreamRecord stream = context.resolver().resolve(request.streamName(), request.streamArn());
      Versions.requireCurrent(stream, request.currentVersion());
      Versions.replace(context, stream, StreamViews.withTier(stream, StreamViews.newVersion(),
          request.streamStorageConfiguration().defaultStorageTier()));
      return new Response.Json(new EmptyResponse());
    };
  }

  private static String tier(StreamRecord stream) {
    return stream.storageTier() == null ? StorageTier.HOT.name() : stream.storageTier();
  }
}
