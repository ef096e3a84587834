package io.framekeep.server.playback;

import io.framekeep.server.MediaErrors;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import io.framekeep.api.model.FragmentSelectorType;
import io.framekeep.api.model.PlaybackFragmentSelector;
import io.framekeep.api.model.PlaybackMode;
import io.framekeep.api.model.PlaybackTimestampRange;
import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.hls.TsSegmentWriter;
import io.framekeep.media.mp4.PlaybackTracks;
import io.framekeep.server.StreamResolver;
import io.framekeep.server.quota.RequestRate;
import io.framekeep.server.retention.RetentionWindow;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.StreamRecord;
import io.framekeep.storage.TimeOrigin;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * The part of GetHLSStreamingSessionURL and GetDASHStreamingSessionURL after argument validation,
 * in the order of spec §4.6: stream, session rate (§5.1), retention, fragments (none in range, or
 * none in the last 30 s for LIVE: ResourceNotFound), the first fragment's codecs, then the signed
 * session URL.
 * Thread-safe.
 */
final class SessionStarter {
  private final StreamResolver resolver;
  private final SessionFragments fragments;
  private final PlaybackHeaders headers;
  private final SessionTokens tokens;
  private final Supplier<String> baseUrl;
  private final RequestRate rate;
  private final Clock clock;

  SessionStarter(StreamResolver resolver, SessionFragments fragments, PlaybackHeaders headers,
      SessionTokens tokens, RequestRate rate, Supplier<String> baseUrl, Clock clock) {
    this.rate = rate;
    this.resolver = resolver;
    this.fragments = fragments;
    this.headers = headers;
    this.tokens = tokens;
    this.baseUrl = baseUrl;
    this.clock = clock;
  }

  /** AWS: 25 session URLs per second per stream (hard limit), for each of the two operations. */
  static final int AWS_SESSION_URLS_PER_SECOND = 25;

  /** The key of the session-URL rate: one stream's requests of one of the two operations. */
  private record StreamOperation(long streamId, PlaybackSession.Protocol protocol) {}

  /** What a request asks for, common to both protocols. */
  record Ask(PlaybackSession.Protocol protocol, String streamName, String streamArn,
      PlaybackMode mode, FragmentSelectorType selectorType, PlaybackFragmentSelector selector,
      boolean mpegTs, PlaybackSession.Discontinuity discontinuity, boolean displayTimestamps,
      boolean displayNumbers, int expiresSeconds, long maxFragments) {}

  /** Checks the stream and its media, and returns the session URL ({@code path} + token). */
  String start(Ask ask, String path) throws IOException {
    long nowMs = clock.millis();
    PlaybackTimestampRange range = ask.selector() == null ? null : ask.selector().timestampRange();
    if (ask.mode() != PlaybackMode.LIVE
        && ask.selectorType() == FragmentSelectorType.SERVER_TIMESTAMP
        && range.startTimestamp().toEpochMilli() > nowMs) {
      throw ApiException.invalidArgument("The StartTimestamp must be in the past when the"
          + " FragmentSelectorType is SERVER_TIMESTAMP.");
    }
    StreamRecord stream = resolver.resolve(ask.streamName(), ask.streamArn());
    rate.acquire(new StreamOperation(stream.streamId(), ask.protocol()));
    if (stream.dataRetentionHours() == 0) {
      throw ApiException.of(AwsError.NO_DATA_RETENTION, "The stream " + stream.name()
          + " has no data retention, so it has no archived media to play.");
    }
    long earliestServerMs = RetentionWindow.earliestServerMs(stream, clock);
    TimeOrigin origin = ask.selectorType() == FragmentSelectorType.PRODUCER_TIMESTAMP
        ? TimeOrigin.PRODUCER : TimeOrigin.SERVER;
    long startMs = range == null ? Long.MIN_VALUE : range.startTimestamp().toEpochMilli();
    long endMs = range == null || range.endTimestamp() == null
        ? Long.MAX_VALUE : range.endTimestamp().toEpochMilli();
    int max = (int) ask.maxFragments();
    if (ask.mode() == PlaybackMode.LIVE
        && !fragments.hasRecentFragment(stream.streamId(), nowMs, earliestServerMs)) {
      throw ApiException.resourceNotFound(PlaybackErrors.NO_FRAGMENTS);
    }
    // What the session would show now; LIVE_REPLAY starts with the first fragment of the range.
    boolean replay = ask.mode() == PlaybackMode.LIVE_REPLAY;
    PlaybackSession probe = new PlaybackSession(ask.protocol(),
        replay ? PlaybackMode.ON_DEMAND : ask.mode(), origin, ask.mpegTs(), ask.discontinuity(),
        false, false, stream.streamId(), startMs, endMs, nowMs, nowMs, 0, 0, 0, Long.MIN_VALUE,
        replay ? 1 : max);
    List<FragmentRecord> shown = fragments.list(probe, nowMs, earliestServerMs).fragments();
    if (shown.isEmpty()) {
      throw ApiException.resourceNotFound(PlaybackErrors.NO_FRAGMENTS);
    }
    FragmentRecord first = shown.get(0);
    PlaybackTracks tracks = headers.tracks(first.headerId(), ask.protocol());
    if (ask.mpegTs() && !TsSegmentWriter.supports(tracks)) {
      throw ApiException.of(AwsError.UNSUPPORTED_STREAM_MEDIA_TYPE, "MPEG_TS sessions carry H.264"
          + " video with AAC or no audio; the stream has "
          + (tracks.hasVideo() ? tracks.video().codecId() : "no video")
          + (tracks.hasAudio() ? " and " + tracks.audio().codecId() : ""));
    }
    long base = Long.MAX_VALUE;
    for (FragmentRecord f : shown) {
      base = Math.min(base, f.sequence());
    }
    PlaybackSession session = session(ask, stream, origin, startMs, endMs, nowMs,
        timelineOriginMs(first), first.timestampMs(origin), first.headerId(), base, max);
    return baseUrl.get() + path + "?SessionToken=" + tokens.issue(session);
  }

  /**
   * Time zero of the session's media timeline, in producer time whatever the selector: producer
   * timestamps are media time, while server timestamps are arrival times whose jitter would make
   * consecutive segments overlap (players then drop frames at the joins). It is the first
   * fragment's start, or earlier when some of its frames are timed before its cluster timecode
   * (audio stored ahead of the first video frame), so that no frame falls before zero.
   */
  private static long timelineOriginMs(FragmentRecord first) {
    long earliestNs = 0;
    try {
      FrameTable table = FrameTable.decode(first.frameTable());
      for (int i = 0; i < table.size(); i++) {
        earliestNs = Math.min(earliestNs, table.relativeTimeTicks(i) * table.timecodeScaleNs());
      }
    } catch (MediaFormatException e) {
      throw MediaErrors.toApi(e);
    }
    return first.producerTimestampMs() + Math.floorDiv(earliestNs, 1_000_000L);
  }

  private static PlaybackSession session(Ask ask, StreamRecord stream, TimeOrigin origin,
      long startMs, long endMs, long nowMs, long timelineOriginMs, long firstFragmentMs,
      long headerId, long baseSequence, int max) {
    return new PlaybackSession(ask.protocol(), ask.mode(), origin, ask.mpegTs(),
        ask.discontinuity(), ask.displayTimestamps(), ask.displayNumbers(), stream.streamId(),
        startMs, endMs, nowMs, nowMs + ask.expiresSeconds() * 1000L, timelineOriginMs,
        firstFragmentMs, headerId, baseSequence, max);
  }
}
