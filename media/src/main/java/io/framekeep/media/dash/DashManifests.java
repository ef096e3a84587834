package io.framekeep.media.dash;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * MPEG-DASH manifests (ISO/IEC 23009-1) for KVS playback sessions: one Period, one AdaptationSet
 * per track (video, then audio) with one Representation each, addressed by a SegmentTemplate with
 * {@code $Number$} and an explicit SegmentTimeline. {@code static} for
 * ON_DEMAND, {@code dynamic} (refreshed) for LIVE and LIVE_REPLAY. KVS extensions: {@code kvs:ts}
 * (fragment start, epoch ms) and {@code kvs:fn} (fragment number) on each {@code S} when asked.
 * A dynamic manifest can name a clock to synchronise with ({@code UTCTiming}, scheme
 * {@link #UTC_TIMING_HTTP_ISO}), as DASH-IF IOP recommends for live presentations.
 * Stateless and thread-safe.
 */
public final class DashManifests {
  /** Namespace of the {@code kvs:} attributes. */
  public static final String KVS_NAMESPACE = "https://kinesisvideo.amazonaws.com/dash";
  /** UTCTiming scheme: an HTTP GET of the value URL answers the time as ISO 8601 text. */
  public static final String UTC_TIMING_HTTP_ISO = "urn:mpeg:dash:utc:http-iso:2014";
  private static final DateTimeFormatter XS_DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private DashManifests() {}

  /**
   * One segment.
   *
   * @param startTicks start in {@code timescale} ticks on the session timeline
   * @param durationTicks duration in ticks, at least 1
   * @param fragmentTimestamp written as {@code kvs:ts} when non-null
   * @param fragmentNumber written as {@code kvs:fn} when non-null
   */
  public record Segment(long startTicks, long durationTicks, Instant fragmentTimestamp,
      String fragmentNumber) {}

  /**
   * One AdaptationSet with its one Representation: a track (or several, multiplexed) with its own
   * init and media segment URIs and its own timeline.
   *
   * @param mimeType e.g. {@code video/mp4}, {@code audio/mp4}
   * @param codecs RFC 6381 codec list
   * @param width picture width, 0 for audio
   * @param timescale ticks per second of the segment times
   * @param initUri SegmentTemplate initialization URI, XML-escaped by this class
   * @param mediaUri SegmentTemplate media URI with {@code $Number$}, escaped by this class
   */
  public record AdaptationSet(String mimeType, String codecs, int width, int height,
      long bandwidthBps, long timescale, String initUri, String mediaUri,
      List<Segment> segments) {}

  /**
   * What the manifest describes.
   *
   * @param dynamic LIVE / LIVE_REPLAY ({@code type="dynamic"}) instead of ON_DEMAND
   * @param availabilityStart wall-clock time of timeline zero (dynamic only)
   * @param publishTime when this manifest was made (dynamic only)
   * @param startNumber the session sequence number of the first segment
   * @param sets the adaptation sets, each with the same segments in its own timescale
   * @param utcTimingUrl where a player reads the server's time ({@link #UTC_TIMING_HTTP_ISO}),
   *     written for dynamic manifests only; null for none
   */
  public record Manifest(boolean dynamic, Instant availabilityStart, Instant publishTime,
      long startNumber, List<AdaptationSet> sets, String utcTimingUrl) {}

  public static String write(Manifest m) {
    AdaptationSet main = m.sets().get(0);
    long totalTicks = 0;
    long longestTicks = 1;
    for (Segment s : main.segments()) {
      totalTicks += s.durationTicks();
      longestTicks = Math.max(longestTicks, s.durationTicks());
    }
    long timescale = main.timescale();
    StringBuilder out = new StringBuilder(512 + 192 * main.segments().size());
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.append("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" xmlns:kvs=\"").append(KVS_NAMESPACE)
        .append("\" profiles=\"urn:mpeg:dash:profile:isoff-live:2011\"");
    out.append(" minBufferTime=\"").append(duration(longestTicks * 2, timescale)).append('"');
    if (m.dynamic()) {
      out.append(" type=\"dynamic\" availabilityStartTime=\"")
          .append(XS_DATE_TIME.format(m.availabilityStart())).append("\" publishTime=\"")
          .append(XS_DATE_TIME.format(m.publishTime()))
          .append("\" minimumUpdatePeriod=\"PT1S\" timeShiftBufferDepth=\"")
          .append(duration(Math.max(totalTicks, longestTicks * 3), timescale))
          .append("\" suggestedPresentationDelay=\"")
          .append(duration(longestTicks * 3, timescale)).append('"');
    } else {
      out.append(" type=\"static\" mediaPresentationDuration=\"")
          .append(duration(endTicks(main.segments()), timescale)).append('"');
    }
    out.append(">\n  <Period id=\"0\" start=\"PT0S\">\n");
    for (int i = 0; i < m.sets().size(); i++) {
      adaptationSet(out, i, m.sets().get(i), m.startNumber());
    }
    out.append("  </Period>\n");
    if (m.dynamic() && m.utcTimingUrl() != null) {
      // After the Periods: the MPD schema's sequence puts UTCTiming last.
      out.append("  <UTCTiming schemeIdUri=\"").append(UTC_TIMING_HTTP_ISO).append("\" value=\"")
          .append(xml(m.utcTimingUrl())).append("\"/>\n");
    }
    out.append("</MPD>\n");
    return out.toString();
  }

  private static void adaptationSet(StringBuilder out, int id, AdaptationSet a,
      long startNumber) {
    out.append("    <AdaptationSet id=\"").append(id).append("\" mimeType=\"")
        .append(a.mimeType()).append("\" segmentAlignment=\"true\" startWithSAP=\"1\">\n");
    out.append("      <Representation id=\"").append(id).append("\" codecs=\"").append(a.codecs())
        .append("\" bandwidth=\"").append(Math.max(1, a.bandwidthBps())).append('"');
    if (a.width() > 0 && a.height() > 0) {
      out.append(" width=\"").append(a.width()).append("\" height=\"").append(a.height())
          .append('"');
    }
    out.append(">\n        <SegmentTemplate timescale=\"").append(a.timescale())
        .append("\" initialization=\"").append(xml(a.initUri())).append("\" media=\"")
        .append(xml(a.mediaUri())).append("\" startNumber=\"").append(startNumber)
        .append("\">\n          <SegmentTimeline>\n");
    for (Segment s : a.segments()) {
      out.append("            <S t=\"").append(s.startTicks()).append("\" d=\"")
          .append(s.durationTicks()).append('"');
      if (s.fragmentTimestamp() != null) {
        out.append(" kvs:ts=\"").append(s.fragmentTimestamp().toEpochMilli()).append('"');
      }
      if (s.fragmentNumber() != null) {
        out.append(" kvs:fn=\"").append(s.fragmentNumber()).append('"');
      }
      out.append("/>\n");
    }
    out.append("          </SegmentTimeline>\n        </SegmentTemplate>\n");
    out.append("      </Representation>\n    </AdaptationSet>\n");
  }

  private static long endTicks(List<Segment> segments) {
    if (segments.isEmpty()) {
      return 0;
    }
    Segment last = segments.get(segments.size() - 1);
    return last.startTicks() + last.durationTicks();
  }

  /** An xs:duration with millisecond precision, e.g. {@code PT12.345S}. */
  static String duration(long ticks, long timescale) {
    long ms = ticks * 1000 / timescale;
    return Duration.ofMillis(ms).toString();
  }

  /** Escapes the characters XML attributes cannot hold as they are. */
  static String xml(String text) {
    return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
  }
}
