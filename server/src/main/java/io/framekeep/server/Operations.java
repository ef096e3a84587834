package io.framekeep.server;

import io.framekeep.server.archive.GetClipOperation;
import io.framekeep.server.archive.ListFragmentsOperation;
import io.framekeep.server.auth.Authorizer;
import io.framekeep.server.auth.AuthorizingOperation;
import io.framekeep.server.control.ControlContext;
import io.framekeep.server.coverage.GetCoverageOperation;
import io.framekeep.server.export.ExportClipOperation;
import io.framekeep.server.http.HttpRouter;
import io.framekeep.server.http.Response;
import io.framekeep.server.metrics.MeteredOperation;
import io.framekeep.server.metrics.ServerMetrics;
import io.framekeep.server.control.CreateStreamOperation;
import io.framekeep.server.control.DeleteStreamOperation;
import io.framekeep.server.control.DescribeStreamOperation;
import io.framekeep.server.control.GetDataEndpointOperation;
import io.framekeep.server.control.ListStreamsOperation;
import io.framekeep.server.control.StreamStorageConfigurationOperations;
import io.framekeep.server.control.TagOperations;
import io.framekeep.server.control.UpdateDataRetentionOperation;
import io.framekeep.server.control.UpdateStreamOperation;
import io.framekeep.server.http.Operation;
import io.framekeep.server.images.GetImagesOperation;
import io.framekeep.server.ingestrate.GetIngestRateOperation;
import io.framekeep.server.ingest.FragmentEvents;
import io.framekeep.server.media.GetMediaForFragmentListOperation;
import io.framekeep.server.media.GetMediaOperation;
import io.framekeep.server.playback.Playback;
import io.framekeep.server.quota.FragmentQuotas;
import io.framekeep.storage.Storage;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** The routing table: each AWS operation's request path and its handler (spec §2.1). */
final class Operations {
  private Operations() {}

  static Map<String, Operation> build(Storage storage, StreamResolver resolver,
      FragmentEvents events, Authorizer authorizer, ServerConfig config,
      Supplier<String> baseUrl, Executor workers, ServerMetrics metrics, byte[] sessionKey) {
    ControlContext control = new ControlContext(storage.catalog(), resolver, config.region(),
        config.accountId(), config.clock(), baseUrl);
    TagOperations tags = new TagOperations(control);
    StreamStorageConfigurationOperations storageConfiguration =
        new StreamStorageConfigurationOperations(control);
    ServiceLimits limits = config.limits();
    FragmentQuotas quotas = new FragmentQuotas(limits.fragmentQuotasEnabled(),
        limits.metadataPointsPerSecond(), limits.mediaPointsPerSecond(), config.clock());
    Map<String, Operation> table = Map.ofEntries(
        Map.entry("/createStream", new CreateStreamOperation(control)),
        Map.entry("/describeStream", new DescribeStreamOperation(control)),
        Map.entry("/listStreams", new ListStreamsOperation(control)),
        Map.entry("/updateStream", new UpdateStreamOperation(control)),
        Map.entry("/deleteStream", new DeleteStreamOperation(control)),
        Map.entry("/updateDataRetention", new UpdateDataRetentionOperation(control)),
        Map.entry("/getDataEndpoint", new GetDataEndpointOperation(control)),
        Map.entry("/tagStream", tags.tagStream()),
        Map.entry("/untagStream", tags.untagStream()),
        Map.entry("/listTagsForStream", tags.listTagsForStream()),
        Map.entry("/describeStreamStorageConfiguration", storageConfiguration.describe()),
        Map.entry("/updateStreamStorageConfiguration", storageConfiguration.update()),
        Map.entry("/TagResource", tags.tagResource()),
        Map.entry("/UntagResource", tags.untagResource()),
        Map.entry("/ListTagsForResource", tags.listTagsForResource()),
        Map.entry("/listFragments",
            new ListFragmentsOperation(resolver, storage.fragments(), quotas, config.clock())),
        Map.entry("/getClip", new GetClipOperation(resolver, storage.fragments(),
            limits, quotas, config.clock())),
        Map.entry("/getImages", new GetImagesOperation(resolver, storage.fragments(), quotas,
            limits.maxFragmentDurationMs(), config.clock())),
        Map.entry("/getMedia", GetMediaOperation.withAwsLimits(resolver, storage.fragments(),
            events, workers, limits.maxFragmentDurationMs(), limits.fragmentQuotasEnabled(),
            config.clock())),
        Map.entry("/getMediaForFragmentList", new GetMediaForFragmentListOperation(resolver,
            storage.fragments(), quotas, workers, limits.maxFragmentDurationMs())),
        // Framekeep extension (README): a timeline's coverage from the index in one request.
        Map.entry("/getCoverage",
            new GetCoverageOperation(resolver, storage.coverage(), quotas)),
        // Framekeep extension (README): GetClip without AWS's 200-fragment / 100 MB cut-off.
        Map.entry("/exportClip",
            new ExportClipOperation(resolver, storage.fragments(), limits, config.clock())),
        // Framekeep extension (README): a stream's recent ingest rate, from the index.
        Map.entry("/getIngestRate", new GetIngestRateOperation(resolver, storage.fragments(),
            quotas, config.clock())));
    Playback playback = new Playback(storage.catalog(), storage.fragments(), resolver, quotas,
        limits.fragmentQuotasEnabled(), limits.maxFragmentDurationMs(), baseUrl, config.clock(),
        sessionKey);
    Map<String, Operation> signed = new java.util.HashMap<>(table);
    signed.putAll(playback.sessionOperations());
    Map<String, Operation> routes = new java.util.HashMap<>();
    authorized(signed, authorizer).forEach((path, op) ->
        routes.put(path, new MeteredOperation(awsName(path), op, metrics.registry())));
    routes.putAll(playback.sessionResources()); // authorised by their session token, not SigV4
    routes.put(HttpRouter.GET_ROUTE_PREFIX + "/metrics", (body, caller) -> {
      byte[] text = metrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      return Response.FileSlices.inMemory(ServerMetrics.CONTENT_TYPE,
          java.nio.ByteBuffer.wrap(text));
    });
    routes.put(HttpRouter.GET_ROUTE_PREFIX + TimeEndpoint.PATH, new TimeEndpoint(config.clock()));
    return Map.copyOf(routes);
  }

  /** The AWS operation name of a path: without its slash, first letter upper-cased. */
  private static String awsName(String path) {
    return Character.toUpperCase(path.charAt(1)) + path.substring(2);
  }

  /**
   * Puts the permission check in front of every operation. The action name is the AWS operation
   * name: the path without its slash, first letter upper-cased (/getClip → GetClip).
   */
  private static Map<String, Operation> authorized(Map<String, Operation> table,
      Authorizer authorizer) {
    Map<String, Operation> wrapped = new java.util.HashMap<>();
    table.forEach((path, op) -> wrapped.put(path,
        new AuthorizingOperation(awsName(path), op, authorizer)));
    return Map.copyOf(wrapped);
  }
}
