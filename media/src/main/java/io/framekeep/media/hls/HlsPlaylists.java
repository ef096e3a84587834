package io.framekeep.media.hls;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * HLS playlist text (RFC 8216) for KVS playback sessions: the master playlist with one variant,
 * and media playlists of fragmented-MP4 or MPEG-TS segments. Only text is built here; URIs come
 * from the caller, already escaped. Stateless and thread-safe.
 */
public final class HlsPlaylists {
  /** Version 7: fMP4 segments with EXT-X-MAP (RFC 8216 §7). KVS answers with 7 as well. */
  public static final int VERSION_FMP4 = 7;
  /** Version 3: MPEG-TS segments with decimal EXTINF durations. */
  public static final int VERSION_TS = 3;
  /** EXT-X-PROGRAM-DATE-TIME: ISO 8601 with milliseconds and a Z offset. */
  private static final DateTimeFormatter PROGRAM_DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

  private HlsPlaylists() {}

  /**
   * One segment of a media playlist.
   *
   * @param uri where the segment is fetched, relative to the playlist
   * @param durationMs its duration
   * @param discontinuity whether an EXT-X-DISCONTINUITY precedes it
   * @param programDateTime the wall-clock start written as EXT-X-PROGRAM-DATE-TIME, or null
   * @param mapUri a new EXT-X-MAP init segment URI from this segment on (fMP4 codec private data
   *     changes), or null to keep the current one
   */
  public record Segment(String uri, long durationMs, boolean discontinuity,
      Instant programDateTime, String mapUri) {

    /** A segment that keeps the current init segment. */
    public Segment(String uri, long durationMs, boolean discontinuity, Instant programDateTime) {
      this(uri, durationMs, discontinuity, programDateTime, null);
    }
  }

  /**
   * The master playlist: one variant stream pointing at the media playlist.
   *
   * @param bandwidthBps peak bit rate estimate, at least 1
   * @param codecs RFC 6381 codec list, or null to leave CODECS out
   * @param width picture width, 0 to leave RESOLUTION out
   */
  public static String master(int version, String mediaPlaylistUri, long bandwidthBps,
      String codecs, int width, int height) {
    StringBuilder out = new StringBuilder(256);
    out.append("#EXTM3U\n#EXT-X-VERSION:").append(version).append('\n');
    out.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
    out.append("#EXT-X-STREAM-INF:BANDWIDTH=").append(Math.max(1, bandwidthBps));
    if (codecs != null) {
      out.append(",CODECS=\"").append(codecs).append('"');
    }
    if (width > 0 && height > 0) {
      out.append(",RESOLUTION=").append(width).append('x').append(height);
    }
    out.append('\n').append(mediaPlaylistUri).append('\n');
    return out.toString();
  }

  /**
   * A media playlist.
   *
   * @param mapUri the EXT-X-MAP init segment URI of the first segment (fMP4), or null (MPEG-TS);
   *     a segment with its own {@link Segment#mapUri} switches to that one
   * @param mediaSequence EXT-X-MEDIA-SEQUENCE: the session sequence number of the first segment
   * @param ended whether EXT-X-ENDLIST closes the playlist (ON_DEMAND, finished LIVE_REPLAY)
   */
  public static String media(int version, String mapUri, long mediaSequence,
      List<Segment> segments, boolean ended) {
    long longestMs = 1;
    for (Segment s : segments) {
      longestMs = Math.max(longestMs, s.durationMs());
    }
    StringBuilder out = new StringBuilder(128 + 96 * segments.size());
    out.append("#EXTM3U\n#EXT-X-VERSION:").append(version).append('\n');
    // RFC 8216 §4.3.3.1: the rounded longest EXTINF must not exceed the target duration.
    out.append("#EXT-X-TARGETDURATION:").append((longestMs + 999) / 1000).append('\n');
    out.append("#EXT-X-MEDIA-SEQUENCE:").append(mediaSequence).append('\n');
    if (ended) {
      out.append("#EXT-X-PLAYLIST-TYPE:VOD\n");
    }
    out.append("#EXT-X-INDEPENDENT-SEGMENTS\n");
    if (mapUri != null) {
      out.append("#EXT-X-MAP:URI=\"").append(mapUri).append("\"\n");
    }
    for (Segment s : segments) {
      if (s.discontinuity()) {
        out.append("#EXT-X-DISCONTINUITY\n");
      }
      if (s.mapUri() != null) {
        out.append("#EXT-X-MAP:URI=\"").append(s.mapUri()).append("\"\n");
      }
      if (s.programDateTime() != null) {
        out.append("#EXT-X-PROGRAM-DATE-TIME:")
            .append(PROGRAM_DATE_TIME.format(s.programDateTime())).append('\n');
      }
      out.append("#EXTINF:").append(String.format(Locale.ROOT, "%.3f", s.durationMs() / 1000.0))
          .append(",\n").append(s.uri()).append('\n');
    }
    if (ended) {
      out.append("#EXT-X-ENDLIST\n");
    }
    return out.toString();
  }
}
