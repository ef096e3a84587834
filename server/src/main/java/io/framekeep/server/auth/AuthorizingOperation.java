package io.framekeep.server.auth;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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

  /**
   * The stream a request names: its top-level StreamName, else StreamARN, else ResourceARN (the
   * last occurrence of each counts, and only a string value names a stream); null when none does
   * or the body is not one JSON object. Read with the streaming parser rather than as a tree: this
   * runs on every request before the operation parses the body itself, and builds no nodes.
   */
  static String streamNameOf(byte[] body) {
    if (body.length == 0) {
      return null;
    }
    String streamName = null;
    String streamArn = null;
    String resourceArn = null;
    try (JsonParser parser = Json.mapper().createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      for (String member = parser.nextFieldName(); member != null; member = parser.nextFieldName()) {
        JsonToken value = parser.nextToken();
        String text = value == JsonToken.VALUE_STRING ? parser.getText() : null;
        parser.skipChildren();
        switch (member) {
          case "StreamName" -> streamName = text;
          case "StreamARN" -> streamArn = text;
          case "ResourceARN" -> resourceArn = text;
          default -> { }
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT) {
        return null;
      }
    } catch (java.io.IOException e) {
      return null;
    }
    if (streamName != null) {
      return streamName;
    }
    for (String arn : new String[] {streamArn, resourceArn}) {
      if (arn != null) {
        return StreamArns.name(arn).orElse(arn);
      }
    }
    return null;
  }
}
