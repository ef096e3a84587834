package io.framekeep.server.control;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import io.framekeep.api.json.Json;
import io.framekeep.api.model.EmptyResponse;
import io.framekeep.api.model.ListTagsForResourceRequest;
import io.framekeep.api.model.ListTagsForResourceResponse;
import io.framekeep.api.model.ListTagsForStreamRequest;
import io.framekeep.api.model.ListTagsForStreamResponse;
import io.framekeep.api.model.Tag;
import io.framekeep.api.model.TagResourceRequest;
import io.framekeep.api.model.TagStreamRequest;
import io.framekeep.api.model.UntagResourceRequest;
import io.framekeep.api.model.UntagStreamRequest;
import io.framekeep.server.StreamResolver;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;
import io.framekeep.storage.StreamRecord;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The six stream-tag operations: the stream-named trio (TagStream, UntagStream, ListTagsForStream)
 * and the ARN-named trio (TagResource, UntagResource, ListTagsForResource, with tags as a list of
 * Key/Value pairs on the way in). All tags of a stream fit in one page (at most 50), so no
 * NextToken is ever returned.
 */
public final class TagOperations {
  private final ControlContext context;

  public TagOperations(ControlContext context) {
    this.context = context;
  }

  public Operation tagStream() {
    return (body, caller) -> {
      TagStreamRequest r = Json.read(body, TagStreamRequest.class).validate();
      addTags(context.resolver().resolve(r.streamName(), r.streamArn()), r.tags());
      return new Response.Json(new EmptyResponse());
    };
  }

  public Operation untagStream() {
    return (body, caller) -> {
      UntagStreamRequest r = Json.read(body, UntagStreamRequest.class).validate();
      StreamRecord stream = context.resolver().resolve(r.streamName(), r.streamArn());
      context.catalog().removeTags(stream.streamId(), r.tagKeyList());
      return new Response.Json(new EmptyResponse());
    };
  }

  public Operation listTagsForStream() {
    return (body, caller) -> {
      ListTagsForStreamRequest r = Json.read(body, ListTagsForStreamRequest.class).validate();
      StreamRecord stream = context.resolver().resolve(r.streamName(), r.streamArn());
      return new Response.Json(
          new ListTagsForStreamResponse(null, context.catalog().tags(stream.streamId())));
    };
  }

  public Operation tagResource() {
    return (body, caller) -> {
      TagResourceRequest r = Json.read(body, TagResourceRequest.class).validate();
      Map<String, String> tags = new LinkedHashMap<>();
      for (Tag t : r.tags()) {
        tags.put(t.key(), t.value());
      }
      addTags(byArn(r.resourceArn()), tags);
      return new Response.Json(new EmptyResponse());
    };
  }

  public Operation untagResource() {
    return (body, caller) -> {
      UntagResourceRequest r = Json.read(body, UntagResourceRequest.class).validate();
      context.catalog().removeTags(byArn(r.resourceArn()).streamId(), r.tagKeyList());
      return new Response.Json(new EmptyResponse());
    };
  }

  public Operation listTagsForResource() {
    return (body, caller) -> {
      ListTagsForResourceRequest r = Json.read(body, ListTagsForResourceRequest.class).validate();
      return new Response.Json(new ListTagsForResourceResponse(null,
          context.catalog().tags(byArn(r.resourceArn()).streamId())));
    };
  }

  private StreamRecord byArn(String arn) {
    return context.catalog().byArn(arn)
        .orElseThrow(() -> ApiException.resourceNotFound(StreamResolver.NOT_FOUND_MESSAGE));
  }

  /** Upserts tags, refusing a change that would leave the stream with more than 50. */
  private void addTags(StreamRecord stream, Map<String, String> tags) {
    Set<String> keys = new HashSet<>(context.catalog().tags(stream.streamId()).keySet());
    keys.addAll(tags.keySet());
    if (keys.size() > ControlContext.MAX_TAGS_PER_STREAM) {
      throw ApiException.of(AwsError.TAGS_PER_RESOURCE_EXCEEDED_LIMIT,
          "A stream can have at most " + ControlContext.MAX_TAGS_PER_STREAM + " tags.");
    }
    context.catalog().putTags(stream.streamId(), tags);
  }
}
