package io.framekeep.server.media;

import io.framekeep.api.FragmentNumbers;
import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.error.ApiException;
import io.framekeep.api.json.Json;
import io.framekeep.api.model.GetMediaForFragmentListRequest;
import io.framekeep.api.model.GetMediaRequest;
import io.framekeep.server.StreamResolver;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;
import io.framekeep.server.quota.FragmentQuotas;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.StreamRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;

/**
 * {@code POST /getMediaForFragmentList} (kinesis-video-archived-media): one KVS chunk per
 * requested fragment, in request order, in the format of GetMedia (spec §3.3).
 *
 * <p>Every fragment number is looked up before the head is sent; numbers this server did not issue
 * or that name no stored fragment of the stream are reported together as InvalidArgumentException
 * "Fragment numbers are invalid : [n1, n2]" (in request order, as given). The request takes one
 * fragment-media quota point per requested fragment (spec §5.3). Thread-safe.
 */
public final class GetMediaForFragmentListOperation implements Operation {
  private final StreamResolver resolver;
  private final FragmentLog log;
  private final StreamPositions positions;
  private final FragmentQuotas quotas;
  private final Executor workers;

  public GetMediaForFragmentListOperation(StreamResolver resolver, FragmentLog log,
      FragmentQuotas quotas, Executor workers, long maxFragmentDurationMs) {
    this.resolver = resolver;
    this.log = log;
    this.quotas = quotas;
    this.positions = new StreamPositions(log, maxFragmentDurationMs);
    this.workers = workers;
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) {
    GetMediaForFragmentListRequest request =
        Json.read(body, GetMediaForFragmentListRequest.class).validate();
    StreamRecord stream = resolver.resolve(request.streamName(), request.streamArn());
    quotas.charge(stream.streamId(), 0, request.fragments().size());
    List<FragmentRecord> found = new ArrayList<>(request.fragments().size());
    List<String> invalid = new ArrayList<>();
    for (String number : request.fragments()) {
      OptionalLong sequence = FragmentNumbers.parse(number);
      Optional<FragmentRecord> fragment = sequence.isEmpty() ? Optional.empty()
          : log.bySequence(stream.streamId(), sequence.getAsLong());
      if (fragment.isPresent()) {
        found.add(fragment.get());
      } else {
        invalid.add(number);
      }
    }
    if (!invalid.isEmpty()) {
      throw ApiException.invalidArgument(
          "Fragment numbers are invalid : [" + String.join(", ", invalid) + "]");
    }
    long newestServerMs = positions.latest(stream.streamId())
        .map(FragmentRecord::serverTimestampMs).orElse(Long.MIN_VALUE);
    return new Response.Streaming(GetMediaRequest.CONTENT_TYPE,
        new FragmentListBody(found, newestServerMs, log, workers));
  }
}
