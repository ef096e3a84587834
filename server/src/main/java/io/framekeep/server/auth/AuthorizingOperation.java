package io.framekeep.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.framekeep.api.StreamArns;
import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.json.Json;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;

/**
 * Wraps an operation with the permission check that comes first in AWS's order (before argument
 * validation): the stream is read from the request's StreamName, StreamARN or ResourceARN member.
 * A body that is not JSON is passed through for the operation to refuse. Thread-safe.
 */
public final class AuthorizingOperation implements Operation {
  private final String action;
  private final Operation delegate;
  private final Authorizer authorizer;

  public AuthorizingOperation(String action, Operation delegate, Authorizer authorizer) {
    this.action = action;
    this.delegate = delegate;
    this.authorizer = authorizer;
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) throws Exception {
    authorizer.check(caller, action, streamNameOf(body));
    return delegate.handle(body, caller);
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller,
      java.util.function.Function<String, String> headers) throws Exception {
    authorizer.check(caller, action, streamNameOf(body));
    return delegate.handle(body, caller, headers);
  }

  private static String streamNameOf(byte[] body) {
    JsonNode root;
    try {
      root = body.length == 0 ? null : Json.mapper().readTree(body);
    } catch (java.io.IOException e) {
      return null;
    }
    if (root == null || !root.isObject()) {
      return null;
    }
    JsonNode name = root.get("StreamName");
    if (name != null && name.isTextual()) {
      return name.asText();
    }
    for (String member : new String[] {"StreamARN", "ResourceARN"}) {
      JsonNode arn = root.get(member);
      if (arn != null && arn.isTextual()) {
        return StreamArns.name(arn.asText()).orElse(arn.asText());
      }
    }
    return null;
  }
}
