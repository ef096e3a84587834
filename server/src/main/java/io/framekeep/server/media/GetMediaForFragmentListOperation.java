package io.framekeep.server.media;

import io.framekeep.api.FragmentNumbers;
import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
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
 * fragment-media quota point per requested fragment (spec §5.3); a stream serves at most 5 such
 * responses at once, the sixth gets ClientLimitExceededException (spec §5.1). Thread-safe.
 */
public final class GetMediaForFragmentListOperation implements Operation {
  private final StreamResolver resolver;
  private final FragmentLog log;
  private final StreamPositions positions;
  private final FragmentQuotas quotas;
  private final Executor workers;
  private final ConnectionSlots slots;

  public GetMediaForFragmentListOperation(StreamResolver resolver, FragmentLog log,
      FragmentQuotas quotas, Executor workers, long maxFragmentDurationMs) {
    this.resolver = resolver;
    this.log = log;
    this.quotas = quotas;
    this.positions = new StreamPositions(log, maxFragmentDurationMs);
    this.workers = workers;
    this.slots = new ConnectionSlots(ConnectionSlots.AWS_MAX_FRAGMENT_LIST_CONNECTIONS,
        AwsError.CLIENT_LIMIT_EXCEEDED, "GetMediaForFragmentList");
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) {
    GetMediaForFragmentListRequest request =
        Json.read(body, GetMediaForFragmentListRequest.class).validate();
    StreamRecord stream = resolver.resolve(request.streamName(), request.streamArn());
    Runnable release = slots.acquire(stream.streamId());
    try {
      quotas.charge(stream.streamId(), 0, request.fragments().size());
      List<FragmentRecord> found = stored(stream.streamId(), request.fragments());
      long newestServerMs = positions.latest(stream.streamId())
          .map(FragmentRecord::serverTimestampMs).orElse(Long.MIN_VALUE);
      return new Response.Streaming(GetMediaRequest.CONTENT_TYPE,
          new FragmentListBody(found, newestServerMs, log, workers, release));
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
  }

  /**
   * The stored fragments the numbers name, in their order.
   *
   * @throws ApiException InvalidArgumentException listing every number naming no fragment
   */
  private List<FragmentRecord> stored(long streamId, List<String> numbers) {
    List<FragmentRecord> found = new ArrayList<>(numbers.size());
    List<String> invalid = new ArrayList<>();
    for (String number : numbers) {
      OptionalLong sequence = FragmentNumbers.parse(number);
      Optional<FragmentRecord> fragment = sequence.isEmpty() ? Optional.empty()
          : log.bySequence(streamId, sequence.getAsLong());
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
    return found;
  }
}
