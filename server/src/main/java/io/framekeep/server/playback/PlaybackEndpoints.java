package io.framekeep.server.playback;

import io.framekeep.server.MediaErrors;

import io.framekeep.api.FragmentNumbers;
import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import io.framekeep.api.model.PlaybackMode;
import io.framekeep.media.FragmentSpan;
import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.dash.DashManifests;
import io.framekeep.media.fmp4.FragmentedMp4Writer;
import io.framekeep.media.fmp4.InBandParameterSets;
import io.framekeep.media.fmp4.MediaSegment;
import io.framekeep.media.hls.HlsPlaylists;
import io.framekeep.media.hls.TsSegmentWriter;
import io.framekeep.media.mp4.PlaybackTracks;
import io.framekeep.media.mp4.SampleRun;
import io.framekeep.server.http.Response;
import io.framekeep.server.playback.SessionActionRates.Action;
import io.framekeep.server.quota.FragmentQuotas;
import io.framekeep.server.retention.RetentionWindow;
import io.framekeep.storage.ByteRange;
import io.framekeep.storage.ByteSource;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.StreamCatalog;
import io.framekeep.storage.StreamRecord;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Supplier;
import java.util.Map;

/**
 * The session-token-authorised GET resources of HLS and DASH sessions (spec §3.5, §3.6): master
 * and media playlists, the DASH manifest, the fMP4 init segment and media segments. Every request
 * first verifies the token (403 when missing, altered or expired), then re-reads what it needs from
 * the index: a session holds no server state. Media segments go from the segment files to the
 * socket as zero-copy slices behind an in-memory {@code moof}. Thread-safe.
 */
final class PlaybackEndpoints {
  static final String HLS_BASE = "/hls/v1/";
  static final String DASH_BASE = "/dash/v1/";
  static final String HLS_MASTER = HLS_BASE + "getHLSMasterPlaylist.m3u8";
  static final String HLS_MEDIA = HLS_BASE + "getHLSMediaPlaylist.m3u8";
  static final String DASH_MANIFEST = DASH_BASE + "getDASHManifest.mpd";
  static final String INIT = "getMP4InitFragment.mp4";
  static final String MEDIA = "getMP4MediaFragment.mp4";
  static final String TS = "getTSFragment.ts";
  static final String TS_CONTENT_TYPE = "video/mp2t";
  /**
   * Largest fragment an MPEG-TS segment is made from. TS segments are built in memory (the
   * payload is interleaved with packet headers); AWS's 50 MB fragment limit fits with room, and a
   * server configured for larger fragments cannot be made to allocate more than this per request.
   */
  static final long MAX_TS_SOURCE_BYTES = 64L * 1024 * 1024;
  static final String HLS_CONTENT_TYPE = "application/vnd.apple.mpegurl";
  static final String DASH_CONTENT_TYPE = "application/dash+xml";
  static final String MP4_CONTENT_TYPE = "video/mp4";
  static final String MP4_VIDEO_CONTENT_TYPE = MP4_CONTENT_TYPE;
  static final String MP4_AUDIO_CONTENT_TYPE = "audio/mp4";
  /**
   * Bandwidth declared for a DASH audio representation, whose share of the fragment bytes the
   * index does not record: 128 kbit/s, the usual AAC-LC stereo rate.
   */
  private static final long NOMINAL_AUDIO_BANDWIDTH_BPS = 128_000;
  /** Bit rate declared when nothing can be measured: 1 Mbit/s. */
  private static final long FALLBACK_BANDWIDTH_BPS = 1_000_000;
  /** Segment length assumed for a fragment indexed without a duration. */
  private static final long FALLBACK_DURATION_MS = 1000;
  /**
   * AWS: at most 500 codec private data changes in an HLS session (spec §5.2); a listing stops
   * before the fragment that would be the 501st.
   */
  static final int MAX_CODEC_PRIVATE_DATA_CHANGES = 500;
  /** ON_DISCONTINUITY marks gaps and overlaps longer than this (spec §3.5). */
  static final long DISCONTINUITY_THRESHOLD_MS = 50;
  private static final long NS_PER_MS = 1_000_000;

  private final SessionTokens tokens;
  private final StreamCatalog catalog;
  private final FragmentLog log;
  private final SessionFragments fragments;
  private final PlaybackHeaders headers;
  private final FragmentQuotas quotas;
  private final SessionActionRates rates;
  private final Clock clock;
  /** The status {@code StreamCatalog.delete} leaves on a stream. */
  private static final String STATUS_DELETING = "DELETING";
  /** The server's time endpoint, named in dynamic manifests for players to synchronise with. */
  private final Supplier<String> timeUrl;

  PlaybackEndpoints(SessionTokens tokens, StreamCatalog catalog, FragmentLog log,
      SessionFragments fragments, PlaybackHeaders headers, FragmentQuotas quotas,
      SessionActionRates rates, Supplier<String> timeUrl, Clock clock) {
    this.timeUrl = timeUrl;
    this.rates = rates;
    this.tokens = tokens;
    this.catalog = catalog;
    this.log = log;
    this.fragments = fragments;
    this.headers = headers;
    this.quotas = quotas;
    this.clock = clock;
  }

  /** A GET resource: the request URI in, the response out; throws ApiException for errors. */
  @FunctionalInterface
  interface Resource {
    Response get(Map<String, List<String>> query) throws IOException;
  }

  /** Every resource by request path. */
  Map<String, Resource> resources() {
    PlaybackSession.Protocol hls = PlaybackSession.Protocol.HLS;
    PlaybackSession.Protocol dash = PlaybackSession.Protocol.DASH;
    return Map.of(
        HLS_MASTER, q -> master(session(q, hls, Action.GET_HLS_MASTER_PLAYLIST), token(q)),
        HLS_MEDIA, q -> mediaPlaylist(session(q, hls, Action.GET_HLS_MEDIA_PLAYLIST), token(q)),
        HLS_BASE + INIT, q -> init(session(q, hls, Action.GET_MP4_INIT_FRAGMENT), q),
        HLS_BASE + MEDIA, q -> media(session(q, hls, Action.GET_MP4_MEDIA_FRAGMENT), q),
        HLS_BASE + TS, q -> tsFragment(session(q, hls, Action.GET_TS_FRAGMENT), q),
        DASH_MANIFEST, q -> manifest(session(q, dash, Action.GET_DASH_MANIFEST), token(q)),
        DASH_BASE + INIT, q -> init(session(q, dash, Action.GET_MP4_INIT_FRAGMENT), q),
        DASH_BASE + MEDIA, q -> media(session(q, dash, Action.GET_MP4_MEDIA_FRAGMENT), q));
  }

  static Map<String, List<String>> query(String uri) {
    return new QueryStringDecoder(uri).parameters();
  }

  /**
   * The session of the request's token, after checking that it is valid (403 otherwise), that it
   * is a session of {@code protocol}, and that the session is within its rate for {@code action}.
   */
  private PlaybackSession session(Map<String, List<String>> q,
      PlaybackSession.Protocol protocol, Action action) {
    String token = token(q);
    PlaybackSession s = tokens.verify(token);
    if (s.protocol() != protocol) {
      throw ApiException.invalidArgument("The session token is for " + s.protocol() + ", not "
          + protocol + ".");
    }
    rates.acquire(action, token);
    stream(s); // every resource of a deleted stream's session is gone, as on AWS
    return s;
  }

  private static String token(Map<String, List<String>> q) {
    List<String> values = q.get("SessionToken");
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private Response master(PlaybackSession s, String token) throws IOException {
    PlaybackTracks tracks = headers.tracks(s.headerId(), s.protocol());
    long bandwidth = FALLBACK_BANDWIDTH_BPS;
    FragmentRecord first = log.bySequence(s.streamId(), s.baseSequence()).orElse(null);
    if (first != null && first.durationMs() > 0) {
      bandwidth = Math.max(1, first.lengthBytes() * 8 * 1000 / first.durationMs());
    }
    String text = HlsPlaylists.master(
        s.mpegTs() ? HlsPlaylists.VERSION_TS : HlsPlaylists.VERSION_FMP4,
        "getHLSMediaPlaylist.m3u8?SessionToken=" + token, bandwidth, tracks.codecs(),
        tracks.width(), tracks.height());
    return text(HLS_CONTENT_TYPE, text);
  }

  private Response mediaPlaylist(PlaybackSession s, String token) throws IOException {
    // AWS: a media playlist costs MaxMediaPlaylistFragmentResults metadata points (§5.3).
    quotas.charge(s.streamId(), s.maxFragments(), 0);
    SessionFragments.Listing listing = listing(s);
    List<HlsPlaylists.Segment> segments = new ArrayList<>();
    FragmentRecord previous = null;
    for (FragmentRecord f : listing.fragments()) {
      // New codec private data (HLS allows it, §4.5): a discontinuity, and in fMP4 a new init
      // segment.
      boolean newHeader = previous != null && previous.headerId() != f.headerId();
      boolean discontinuity = newHeader || switch (s.discontinuity()) {
        case ALWAYS -> true;
        case NEVER -> false;
        case ON_DISCONTINUITY -> previous != null && Math.abs(mediaStartMs(s, f)
            - mediaStartMs(s, previous) - durationMs(previous)) > DISCONTINUITY_THRESHOLD_MS;
      };
      segments.add(new HlsPlaylists.Segment((s.mpegTs() ? TS : MEDIA)
          + "?FragmentNumber=" + number(s, f)
          + "&SessionToken=" + token, durationMs(f), discontinuity,
          s.displayTimestamps() ? Instant.ofEpochMilli(mediaStartMs(s, f)) : null,
          newHeader && !s.mpegTs() ? initUri(s, f, token) : null));
      previous = f;
    }
    long mediaSequence = listing.fragments().isEmpty() ? 0 : number(s, listing.fragments().get(0));
    String text = s.mpegTs()
        ? HlsPlaylists.media(HlsPlaylists.VERSION_TS, null, mediaSequence, segments,
            listing.ended())
        : HlsPlaylists.media(HlsPlaylists.VERSION_FMP4, listing.fragments().isEmpty()
            ? INIT + "?SessionToken=" + token : initUri(s, listing.fragments().get(0), token),
            mediaSequence, segments, listing.ended());
    return text(HLS_CONTENT_TYPE, text);
  }

  private Response manifest(PlaybackSession s, String token) throws IOException {
    // AWS: a manifest costs MaxManifestFragmentResults metadata points (§5.3).
    quotas.charge(s.streamId(), s.maxFragments(), 0);
    PlaybackTracks tracks = headers.tracks(s.headerId(), s.protocol());
    SessionFragments.Listing listing = listing(s);
    long bytes = 0;
    long totalMs = 0;
    for (FragmentRecord f : listing.fragments()) {
      bytes += f.lengthBytes();
      totalMs += durationMs(f);
    }
    long bandwidth = totalMs > 0 ? bytes * 8 * 1000 / totalMs : FALLBACK_BANDWIDTH_BPS;
    List<DashManifests.AdaptationSet> sets = new ArrayList<>(2);
    if (tracks.hasVideo()) {
      sets.add(new DashManifests.AdaptationSet(MP4_VIDEO_CONTENT_TYPE, tracks.videoCodecs(),
          tracks.width(), tracks.height(), bandwidth, FragmentedMp4Writer.VIDEO_TIMESCALE,
          INIT + "?TrackNumber=1&SessionToken=" + token,
          MEDIA + "?FragmentNumber=$Number$&TrackNumber=1&SessionToken=" + token,
          dashSegments(s, listing, FragmentedMp4Writer.VIDEO_TIMESCALE)));
    }
    if (tracks.hasAudio()) {
      sets.add(new DashManifests.AdaptationSet(MP4_AUDIO_CONTENT_TYPE, tracks.audioCodecs(), 0, 0,
          tracks.hasVideo() ? NOMINAL_AUDIO_BANDWIDTH_BPS : bandwidth,
          tracks.audioSampleRateHz(),
          INIT + "?TrackNumber=2&SessionToken=" + token,
          MEDIA + "?FragmentNumber=$Number$&TrackNumber=2&SessionToken=" + token,
          dashSegments(s, listing, tracks.audioSampleRateHz())));
    }
    long startNumber = listing.fragments().isEmpty() ? 0 : number(s, listing.fragments().get(0));
    DashManifests.Manifest m = new DashManifests.Manifest(s.mode() != PlaybackMode.ON_DEMAND,
        Instant.ofEpochMilli(s.timelineOriginMs()), clock.instant(), startNumber, sets,
        timeUrl.get());
    return text(DASH_CONTENT_TYPE, DashManifests.write(m));
  }

  private List<DashManifests.Segment> dashSegments(PlaybackSession s,
      SessionFragments.Listing listing, long timescale) throws IOException {
    List<FragmentRecord> fragments = listing.fragments();
    List<DashManifests.Segment> segments = new ArrayList<>(fragments.size());
    long[] startsMs = new long[fragments.size()];
    for (int i = 0; i < fragments.size(); i++) {
      // Producer time whatever the selector, as the segments' own media times (startNs).
      FragmentRecord f = fragments.get(i);
      startsMs[i] = Math.max(0,
          f.producerTimestampMs() + mediaOffsetMs(f) - s.timelineOriginMs());
    }
    for (int i = 0; i < fragments.size(); i++) {
      FragmentRecord f = fragments.get(i);
      long startMs = startsMs[i];
      // A SegmentTimeline has no gaps or overlaps: a segment lasts until the next one starts,
      // the last one its own length (FragmentDurations: its video span). For a continuous
      // stream both agree with #EXTINF and ListFragments within a frame.
      long endMs = i + 1 < fragments.size() ? startsMs[i + 1] : startMs + durationMs(f);
      segments.add(new DashManifests.Segment(startMs * timescale / 1000,
          Math.max(1, endMs * timescale / 1000 - startMs * timescale / 1000),
          s.displayTimestamps() ? Instant.ofEpochMilli(f.timestampMs(s.origin())) : null,
          s.displayNumbers() ? FragmentNumbers.format(f.sequence()) : null));
    }
    return segments;
  }

  /**
   * The init segment URI for a fragment: the session's own when the fragment has the session's
   * header, else one naming the fragment, whose codec private data it then carries.
   */
  private static String initUri(PlaybackSession s, FragmentRecord f, String token) {
    return f.headerId() == s.headerId() ? INIT + "?SessionToken=" + token
        : INIT + "?FragmentNumber=" + number(s, f) + "&SessionToken=" + token;
  }

  /**
   * An init segment: of the session's first header, or with {@code FragmentNumber}, of that
   * fragment's header (HLS sessions whose codec private data changed).
   */
  private Response init(PlaybackSession s, Map<String, List<String>> q) throws IOException {
    long headerId = q.containsKey("FragmentNumber")
        ? fragmentInSession(s, fragmentNumber(q)).headerId() : s.headerId();
    PlaybackTracks tracks = headers.tracks(headerId, s.protocol());
    ByteBuffer init = FragmentedMp4Writer.initSegment(tracks, selection(q, tracks));
    return Response.FileSlices.inMemory(MP4_CONTENT_TYPE, init);
  }

  /**
   * The stored fragment a media request names, after checking that it belongs to the session and
   * plays with its init segment, and charging its fragment-media point (§5.3).
   */
  private FragmentRecord sessionFragment(PlaybackSession s, long n) throws IOException {
    FragmentRecord f = fragmentInSession(s, n);
    quotas.charge(s.streamId(), 0, 1);
    return f;
  }

  /** The stored fragment a request names, checked to belong to the session and to play in it. */
  private FragmentRecord fragmentInSession(PlaybackSession s, long n) throws IOException {
    StreamRecord stream = stream(s);
    FragmentRecord f = log.bySequence(s.streamId(), s.baseSequence() + n)
        .filter(r -> inSession(s, r, RetentionWindow.earliestServerMs(stream, clock)))
        .orElseThrow(() -> ApiException.resourceNotFound("Fragment " + n
            + " is not part of the streaming session."));
    if (!headers.playable(s.headerId(), f.headerId(), s.protocol())) {
      throw ApiException.of(AwsError.INVALID_CODEC_PRIVATE_DATA,
          "The tracks or codec private data of fragment " + FragmentNumbers.format(f.sequence())
              + " differ from those the session started with.");
    }
    return f;
  }

  /** An MPEG-TS segment, built in memory from the fragment's stored bytes. */
  private Response tsFragment(PlaybackSession s, Map<String, List<String>> q) throws IOException {
    if (!s.mpegTs()) {
      throw ApiException.invalidArgument("The session's ContainerFormat is FRAGMENTED_MP4.");
    }
    long n = fragmentNumber(q);
    FragmentRecord f = sessionFragment(s, n);
    PlaybackTracks tracks = headers.tracks(f.headerId(), s.protocol());
    if (f.lengthBytes() > MAX_TS_SOURCE_BYTES) {
      throw ApiException.invalidArgument("Fragment " + n + " is " + f.lengthBytes()
          + " bytes; MPEG-TS segments are made from fragments of at most " + MAX_TS_SOURCE_BYTES
          + " bytes. Use FRAGMENTED_MP4.");
    }
    ByteBuffer payload = ByteBuffer.allocate((int) f.lengthBytes());
    try (ByteSource in = log.open(ByteRange.whole(f))) {
      in.read(0, payload);
    } catch (NoSuchFileException e) {
      throw ApiException.resourceNotFound("Fragment " + n + " is no longer stored.");
    }
    payload.flip();
    try {
      byte[] segment = TsSegmentWriter.segment(tracks, FrameTable.decode(f.frameTable()),
          payload, startNs(s, f));
      return Response.FileSlices.inMemory(TS_CONTENT_TYPE, ByteBuffer.wrap(segment));
    } catch (MediaFormatException e) {
      throw MediaErrors.toApi(e);
    }
  }

  private Response media(PlaybackSession s, Map<String, List<String>> q) throws IOException {
    long n = fragmentNumber(q);
    FragmentRecord f = sessionFragment(s, n);
    PlaybackTracks tracks = headers.tracks(f.headerId(), s.protocol());
    MediaSegment segment;
    try {
      // After a codec private data change (HLS only) the key frame also carries the parameter
      // sets in force, for players that keep the first init segment's (ffmpeg does).
      byte[] lead = tracks.hasVideo() && (f.headerId() != s.headerId() || headerChangesAt(f))
          ? InBandParameterSets.of(tracks.video()) : null;
      segment = FragmentedMp4Writer.mediaSegment(tracks, FrameTable.decode(f.frameTable()), n + 1,
          startNs(s, f), selection(q, tracks), lead);
    } catch (MediaFormatException e) {
      throw MediaErrors.toApi(e);
    }
    List<Response.Slice> slices = new ArrayList<>(segment.runs().size());
    for (SampleRun run : segment.runs()) {
      slices.add(new Response.Slice(new ByteRange(f, run.offsetInFragment(), run.lengthBytes()),
          run.annexBToLengthPrefixed(), run.outputBytes()));
    }
    try {
      return Response.FileSlices.open(MP4_CONTENT_TYPE, segment.prefix().duplicate(), slices,
          segment.totalBytes(), log);
    } catch (NoSuchFileException e) {
      throw ApiException.resourceNotFound("Fragment " + n + " is no longer stored.");
    }
  }

  /** Whether the stream's fragment before {@code f} (if still stored) has another header. */
  private boolean headerChangesAt(FragmentRecord f) {
    return log.bySequence(f.streamId(), f.sequence() - 1)
        .map(previous -> previous.headerId() != f.headerId()).orElse(false);
  }

  private SessionFragments.Listing listing(PlaybackSession s) throws IOException {
    StreamRecord stream = stream(s);
    SessionFragments.Listing listing = fragments.list(s, clock.millis(),
        RetentionWindow.earliestServerMs(stream, clock));
    List<FragmentRecord> playable = new ArrayList<>(listing.fragments().size());
    // Decided once per header: a listing holds up to 5000 fragments of a few headers.
    Map<Long, Boolean> playableHeaders = new HashMap<>();
    int headerChanges = 0;
    for (FragmentRecord f : listing.fragments()) {
      Boolean plays = playableHeaders.get(f.headerId());
      if (plays == null) {
        plays = headers.playable(s.headerId(), f.headerId(), s.protocol());
        playableHeaders.put(f.headerId(), plays);
      }
      if (!plays) {
        continue;
      }
      if (!playable.isEmpty() && playable.get(playable.size() - 1).headerId() != f.headerId()
          && ++headerChanges > MAX_CODEC_PRIVATE_DATA_CHANGES) {
        break;
      }
      playable.add(f);
    }
    return new SessionFragments.Listing(playable, listing.ended());
  }

  /**
   * The session's stream, which must still exist: a deleted stream (status DELETING, still found
   * by id) ends its sessions with ResourceNotFoundException (404).
   */
  private StreamRecord stream(PlaybackSession s) {
    return catalog.byId(s.streamId()).filter(r -> !STATUS_DELETING.equals(r.status()))
        .orElseThrow(() -> ApiException.resourceNotFound(
            "The stream of this streaming session is not found or not active."));
  }

  /** Whether a stored fragment may be served in the session: stream, retention, range. */
  private static boolean inSession(PlaybackSession s, FragmentRecord f, long earliestServerMs) {
    if (f.streamId() != s.streamId() || f.serverTimestampMs() < earliestServerMs) {
      return false;
    }
    if (s.mode() == PlaybackMode.LIVE) {
      return true;
    }
    long ts = f.timestampMs(s.origin());
    return ts >= s.startMs() && ts <= s.endMs();
  }

  /**
   * The tracks a request asks for: {@code TrackNumber} 1 (video) or 2 (audio), as KVS numbers
   * them; all tracks when absent.
   */
  private static FragmentedMp4Writer.Selection selection(Map<String, List<String>> q,
      PlaybackTracks tracks) {
    List<String> values = q.get("TrackNumber");
    if (values == null || values.isEmpty()) {
      return FragmentedMp4Writer.Selection.ALL;
    }
    String value = values.get(0);
    if (tracks.hasVideo() && value.equals(String.valueOf(FragmentedMp4Writer.VIDEO_TRACK_ID))) {
      return FragmentedMp4Writer.Selection.VIDEO;
    }
    if (tracks.hasAudio() && value.equals(String.valueOf(FragmentedMp4Writer.AUDIO_TRACK_ID))) {
      return FragmentedMp4Writer.Selection.AUDIO;
    }
    throw ApiException.invalidArgument("TrackNumber must be 1 (video) or 2 (audio), of a track"
        + " the session has.");
  }

  private static long fragmentNumber(Map<String, List<String>> q) {
    List<String> values = q.get("FragmentNumber");
    if (values == null || values.isEmpty()) {
      throw ApiException.invalidArgument("The FragmentNumber query parameter is required.");
    }
    try {
      long n = Long.parseLong(values.get(0));
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw ApiException.invalidArgument("FragmentNumber must be a non-negative integer.");
    }
  }

  private static long number(PlaybackSession s, FragmentRecord f) {
    return f.sequence() - s.baseSequence();
  }

  /**
   * Where a fragment's cluster timecode falls on the session's media timeline (producer time, see
   * SessionStarter), at least 0.
   */
  private static long startNs(PlaybackSession s, FragmentRecord f) {
    return Math.max(0, f.producerTimestampMs() - s.timelineOriginMs()) * NS_PER_MS;
  }

  /** {@link #mediaOffsetMs} added to the fragment's timestamp of the session's origin. */
  private long mediaStartMs(PlaybackSession s, FragmentRecord f) throws IOException {
    return f.timestampMs(s.origin()) + mediaOffsetMs(f);
  }

  /**
   * How far after its timestamp a fragment's media starts: the offset of its video track's first
   * frame (audio track without video) from the cluster timecode ({@link FragmentSpan}). Program
   * date-times and the DASH timeline add it, so that they step by the fragment lengths ({@code
   * #EXTINF}) instead of by cluster timecodes, which an audio block before the key frame moves by
   * up to a few audio frames. A frame table or header that does not parse counts as offset 0.
   */
  private long mediaOffsetMs(FragmentRecord f) throws IOException {
    try {
      return FragmentSpan.of(headers.header(f.headerId()), FrameTable.decode(f.frameTable()))
          .startOffsetMs();
    } catch (MediaFormatException e) {
      return 0;
    }
  }

  private static long durationMs(FragmentRecord f) {
    return f.durationMs() > 0 ? f.durationMs() : FALLBACK_DURATION_MS;
  }

  private static Response text(String contentType, String text) {
    ByteBuffer body = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    return Response.FileSlices.inMemory(contentType, body);
  }
}
