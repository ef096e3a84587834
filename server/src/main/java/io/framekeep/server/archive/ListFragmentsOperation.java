package io.framekeep.server.archive;

import io.framekeep.api.FragmentNumbers;
import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.error.ApiException;
import io.framekeep.api.json.Json;
import io.framekeep.api.model.Fragment;
import io.framekeep.api.model.FragmentSelector;
import io.framekeep.api.model.FragmentSelectorType;
import io.framekeep.api.model.ListFragmentsRequest;
import io.framekeep.api.model.ListFragmentsResponse;
import io.framekeep.server.StreamResolver;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;
import io.framekeep.server.quota.FragmentQuotas;
import io.framekeep.server.retention.RetentionWindow;
import io.framekeep.storage.FragmentCursor;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.StreamRecord;
import io.framekeep.storage.TimeOrigin;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * {@code POST /listFragments}: fragments whose start timestamp of the chosen origin is in the
 * range (both ends inclusive), in timestamp order, a page at a time.
 *
 * <p>NextToken format: base64 of {@code v1|<origin>|<startMs>|<endMs>|<lastTimestampMs>|<lastSeq>},
 * so a continuation needs no selector and no server-side state. Fragments past the stream's data
 * retention ({@link RetentionWindow}) are left out, so a page may hold fewer than MaxResults.
 */
public final class ListFragmentsOperation implements Operation {
  /** AWS does not document the default page size; its maximum is the useful choice. */
  static final int DEFAULT_MAX_RESULTS = 1000;

  private final StreamResolver resolver;
  private final FragmentLog fragments;
  private final FragmentQuotas quotas;
  private final Clock clock;

  public ListFragmentsOperation(StreamResolver resolver, FragmentLog fragments,
      FragmentQuotas quotas) {
    this(resolver, fragments, quotas, Clock.systemUTC());
  }

  /** @param clock server time, against which data retention is counted */
  public ListFragmentsOperation(StreamResolver resolver, FragmentLog fragments,
      FragmentQuotas quotas, Clock clock) {
    this.clock = clock;
    this.quotas = quotas;
    this.resolver = resolver;
    this.fragments = fragments;
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) {
    ListFragmentsRequest request = Json.read(body, ListFragmentsRequest.class).validate();
    StreamRecord stream = resolver.resolve(request.streamName(), request.streamArn());
    int limit = request.maxResults() == null ? DEFAULT_MAX_RESULTS : request.maxResults().intValue();
    // AWS: ListFragments costs MaxResults fragment-metadata points (spec §5.3).
    quotas.charge(stream.streamId(), limit, 0);
    Page page = request.nextToken() != null
        ? Page.decode(request.nextToken())
        : Page.first(request.fragmentSelector());
    List<FragmentRecord> rows = fragments.range(stream.streamId(), page.origin, page.startMs,
        page.endMs, page.after, limit + 1);
    boolean more = rows.size() > limit;
    List<FragmentRecord> shown = more ? rows.subList(0, limit) : rows;
    long earliestServerMs = RetentionWindow.earliestServerMs(stream, clock);
    List<Fragment> out = shown.stream()
        .filter(f -> f.serverTimestampMs() >= earliestServerMs)
        .map(ListFragmentsOperation::toWire).toList();
    String next = null;
    if (more) {
      FragmentRecord last = shown.get(shown.size() - 1);
      long ts = page.origin == TimeOrigin.PRODUCER
          ? last.producerTimestampMs() : last.serverTimestampMs();
      next = new Page(page.origin, page.startMs, page.endMs,
          new FragmentCursor(ts, last.sequence())).encode();
    }
    return new Response.Json(new ListFragmentsResponse(out, next));
  }

  private static Fragment toWire(FragmentRecord f) {
    return new Fragment(FragmentNumbers.format(f.sequence()), f.lengthBytes(),
        Instant.ofEpochMilli(f.producerTimestampMs()), Instant.ofEpochMilli(f.serverTimestampMs()),
        f.durationMs());
  }

  /** Where a listing stands: the query and the last row returned. */
  private record Page(TimeOrigin origin, long startMs, long endMs, FragmentCursor after) {
    static Page first(FragmentSelector selector) {
      if (selector == null) {
        return new Page(TimeOrigin.SERVER, 0, Long.MAX_VALUE, null);
      }
      TimeOrigin origin = selector.type() == FragmentSelectorType.PRODUCER_TIMESTAMP
          ? TimeOrigin.PRODUCER : TimeOrigin.SERVER;
      return new Page(origin, selector.timestampRange().startTimestamp().toEpochMilli(),
          selector.timestampRange().endTimestamp().toEpochMilli(), null);
    }

    String encode() {
      String text = "v1|" + origin + "|" + startMs + "|" + endMs + "|" + after.timestampMs() + "|"
          + after.sequence();
      return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static Page decode(String token) {
      try {
        String[] p = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8)
            .split("\\|");
        if (p.length != 6 || !p[0].equals("v1")) {
          throw new IllegalArgumentException("shape");
        }
        return new Page(TimeOrigin.valueOf(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3]),
            new FragmentCursor(Long.parseLong(p[4]), Long.parseLong(p[5])));
      } catch (IllegalArgumentException e) {
        throw ApiException.invalidArgument("NextToken is not valid: " + token);
      }
    }
  }
}
