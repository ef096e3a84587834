package io.framekeep.server;

import io.framekeep.server.archive.GetClipOperation;
import io.framekeep.server.archive.ListFragmentsOperation;
import io.framekeep.server.control.ControlContext;
import io.framekeep.server.control.CreateStreamOperation;
import io.framekeep.server.control.DeleteStreamOperation;
import io.framekeep.server.control.DescribeStreamOperation;
import io.framekeep.server.control.GetDataEndpointOperation;
import io.framekeep.server.control.ListStreamsOperation;
import io.framekeep.server.control.TagOperations;
import io.framekeep.server.control.UpdateDataRetentionOperation;
import io.framekeep.server.control.UpdateStreamOperation;
import io.framekeep.server.http.Operation;
import io.framekeep.storage.EmbeddedStorage;
import java.util.Map;
import java.util.function.Supplier;

/** The routing table: each AWS operation's request path and its handler (spec §2.1). */
final class Operations {
  private Operations() {}

  static Map<String, Operation> build(EmbeddedStorage storage, StreamResolver resolver,
      ServerConfig config, Supplier<String> baseUrl) {
    ControlContext control = new ControlContext(storage.catalog(), resolver, config.region(),
        config.accountId(), config.clock(), baseUrl);
    TagOperations tags = new TagOperations(control);
    return Map.ofEntries(
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
        Map.entry("/TagResource", tags.tagResource()),
        Map.entry("/UntagResource", tags.untagResource()),
        Map.entry("/ListTagsForResource", tags.listTagsForResource()),
        Map.entry("/listFragments",
            new ListFragmentsOperation(resolver, storage.fragments())),
        Map.entry("/getClip", new GetClipOperation(resolver, storage.fragments(),
            config.limits(), config.clock())));
  }
}
