package io.framekeep.server.media;

import io.framekeep.api.FragmentNumbers;
import io.framekeep.api.error.ApiException;
import io.framekeep.api.model.StartSelector;
import io.framekeep.server.FragmentCoverage;
import io.framekeep.server.StoredHeaders;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.TimeOrigin;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Finds positions in a stream's fragment log from the index alone: its oldest and newest
 * fragments, and where a GetMedia {@link StartSelector} starts.
 *
 * <p>Relies on two properties of the log: sequences are assigned 1, 2, 3, ... without gaps in
 * commit order, and retention deletes only from the old end; so the fragments present are one
 * contiguous run of sequences, and the newest is found by galloping over {@code bySequence} in
 * O(log n) point lookups. The oldest is the first fragment in server-time order, which is the
 * lowest sequence as long as the server clock does not go backwards.
 *
 * <p>All methods query storage and block; call them from a worker thread. Thread-safe.
 */
final class StreamPositions {
  private final FragmentLog log;
  /** A fragment containing a timestamp started at most this long before it (longest fragment). */
  private final long maxFragmentDurationMs;
  private final FragmentCoverage coverage;

  StreamPositions(FragmentLog log, long maxFragmentDurationMs) {
    this.log = log;
    this.maxFragmentDurationMs = maxFragmentDurationMs;
    this.coverage = new FragmentCoverage(new StoredHeaders(log));
  }

  /** The oldest fragment still stored. */
  Optional<FragmentRecord> earliest(long streamId) {
    List<FragmentRecord> first =
        log.range(streamId, TimeOrigin.SERVER, Long.MIN_VALUE, Long.MAX_VALUE, null, 1);
    return first.isEmpty() ? Optional.empty() : Optional.of(first.get(0));
  }

  /** The newest committed fragment. */
  Optional<FragmentRecord> latest(long streamId) {
    Optional<FragmentRecord> earliest = earliest(streamId);
    if (earliest.isEmpty()) {
      return Optional.empty();
    }
    FragmentRecord found = earliest.get();
    long step = 1;
    // Gallop: double the step while the fragment that far ahead exists.
    while (true) {
      Optional<FragmentRecord> ahead = log.bySequence(streamId, found.sequence() + step);
      if (ahead.isEmpty()) {
        break;
      }
      found = ahead.get();
      step = Math.multiplyExact(step, 2);
    }
    // The newest lies in (found, found + step): binary search over that gap.
    long low = found.sequence();
    long high = found.sequence() + step;
    while (high - low > 1) {
      long mid = low + (high - low) / 2;
      Optional<FragmentRecord> probe = log.bySequence(streamId, mid);
      if (probe.isPresent()) {
        found = probe.get();
        low = mid;
      } else {
        high = mid;
      }
    }
    return Optional.of(found);
  }

  /**
   * The sequence GetMedia sends first for a validated selector. When the selected fragment does
   * not exist yet this is the sequence the next fragment will get (or a sequence at or below the
   * oldest one when the stream is empty; the follower then takes whatever comes first).
   *
   * @param latest the newest fragment now, if any (from {@link #latest})
   * @throws ApiException InvalidArgumentException for a fragment number or continuation token
   *     this server did not issue, or an AfterFragmentNumber not in the stream
   * @throws IOException reading a stored header failed
   */
  long firstSequence(long streamId, StartSelector selector, Optional<FragmentRecord> latest)
      throws IOException {
    long afterLatest = latest.map(f -> f.sequence() + 1).orElse(1L);
    return switch (selector.type()) {
      case NOW -> latest.map(FragmentRecord::sequence).orElse(afterLatest);
      case EARLIEST -> earliest(streamId).map(FragmentRecord::sequence).orElse(afterLatest);
      case FRAGMENT_NUMBER -> {
        long sequence = parse(selector.afterFragmentNumber(), "AfterFragmentNumber");
        if (log.bySequence(streamId, sequence).isEmpty()) {
          throw ApiException.invalidArgument("The AfterFragmentNumber "
              + selector.afterFragmentNumber() + " is not a fragment of this stream.");
        }
        yield sequence + 1;
      }
      case CONTINUATION_TOKEN -> parse(selector.continuationToken(), "ContinuationToken") + 1;
      case SERVER_TIMESTAMP -> containing(streamId, TimeOrigin.SERVER,
          selector.startTimestamp().toEpochMilli()).orElse(afterLatest);
      case PRODUCER_TIMESTAMP -> containing(streamId, TimeOrigin.PRODUCER,
          selector.startTimestamp().toEpochMilli()).orElse(afterLatest);
    };
  }

  /**
   * The fragment that contains {@code timestampMs} ({@link FragmentCoverage}); failing that, the
   * first fragment starting after it.
   */
  private OptionalLong containing(long streamId, TimeOrigin origin, long timestampMs)
      throws IOException {
    long windowStart = timestampMs - maxFragmentDurationMs;
    List<FragmentRecord> before = log.range(streamId, origin, windowStart, timestampMs, null,
        FragmentLog.MAX_RANGE_RESULTS);
    FragmentRecord best = null;
    for (FragmentRecord f : before) {
      if (coverage.covers(f, origin, timestampMs)) {
        best = f;
      }
    }
    if (best != null) {
      return OptionalLong.of(best.sequence());
    }
    List<FragmentRecord> after = log.range(streamId, origin, timestampMs, Long.MAX_VALUE, null, 1);
    return after.isEmpty() ? OptionalLong.empty() : OptionalLong.of(after.get(0).sequence());
  }

  private static long parse(String fragmentNumber, String member) {
    OptionalLong sequence = FragmentNumbers.parse(fragmentNumber);
    if (sequence.isEmpty()) {
      throw ApiException.invalidArgument("The " + member + " " + fragmentNumber
          + " was not issued by this service.");
    }
    return sequence.getAsLong();
  }
}
