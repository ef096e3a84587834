package io.framekeep.server.control;

import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.error.ApiException;
import io.framekeep.api.json.Json;
import io.framekeep.api.model.ListStreamsRequest;
import io.framekeep.api.model.ListStreamsResponse;
import io.framekeep.api.model.StreamInfo;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;
import io.framekeep.storage.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * {@code POST /listStreams}: streams in name order, optionally those whose name begins with a
 * value. The NextToken is the base64 of the last name returned, so pages stay stable while streams
 * are created or deleted.
 */
public final class ListStreamsOperation implements Operation {
  /** AWS default and maximum page size. */
  static final int DEFAULT_MAX_RESULTS = 10_000;

  private final ControlContext context;

  public ListStreamsOperation(ControlContext context) {
    this.context = context;
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) {
    ListStreamsRequest request = Json.read(body, ListStreamsRequest.class).validate();
    int limit = request.maxResults() == null ? DEFAULT_MAX_RESULTS : request.maxResults();
    String prefix = request.streamNameCondition() == null
        || request.streamNameCondition().comparisonValue() == null
        ? "" : request.streamNameCondition().comparisonValue();
    String after = request.nextToken() == null || request.nextToken().isEmpty()
        ? null : decodeToken(request.nextToken());
    List<StreamRecord> page = context.catalog().list(prefix, after, limit + 1);
    boolean more = page.size() > limit;
    List<StreamRecord> shown = more ? page.subList(0, limit) : page;
    List<StreamInfo> infos = shown.stream().map(StreamViews::info).toList();
    String next = more ? Base64.getEncoder().encodeToString(
        shown.get(shown.size() - 1).name().getBytes(StandardCharsets.UTF_8)) : null;
    return new Response.Json(new ListStreamsResponse(infos, next));
  }

  private static String decodeToken(String token) {
    try {
      return new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidArgument("NextToken " + token + " is not valid.");
    }
  }
}
