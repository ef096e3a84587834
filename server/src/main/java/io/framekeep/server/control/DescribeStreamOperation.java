package io.framekeep.server.control;

import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.json.Json;
import io.framekeep.api.model.DescribeStreamRequest;
import io.framekeep.api.model.DescribeStreamResponse;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;

/** {@code POST /describeStream}. */
public final class DescribeStreamOperation implements Operation {
  private final ControlContext context;

  public DescribeStreamOperation(ControlContext context) {
    this.context = context;
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) {
    DescribeStreamRequest request = Json.read(body, DescribeStreamRequest.class).validate();
    return new Response.Json(new DescribeStreamResponse(StreamViews.info(
        context.resolver().resolve(request.streamName(), request.streamArn()))));
  }
}
