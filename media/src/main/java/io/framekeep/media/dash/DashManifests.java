package io.framekeep.media.dash;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * MPEG-DASH manifests (ISO/IEC 23009-1) for KVS playback sessions: one Period, one AdaptationSet
 * with one Representation holding every track of the fragmented MP4, addressed by a
 * SegmentTemplate with {@code $Number$} and an explicit SegmentTimeline. {@code static} for
 * ON_DEMAND, {@code dynamic} (refreshed) for LIVE and LIVE_REPLAY. KVS extensions: {@code kvs:ts}
 * (fragment start, epoch ms) and {@code kvs:fn} (fragment number) on each {@code S} when asked.
 * Stateless and thread-safe.
 */
public final class DashManifests {
  /** Namespace of the {@code kvs:} attributes. */
  public static final String KVS_NAMESPACE = "https://kinesisvideo.amazonaws.com/dash";
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
   * What the manifest describes.
   *
   * @param dynamic LIVE / LIVE_REPLAY ({@code type="dynamic"}) instead of ON_DEMAND
   * @param availabilityStart wall-clock time of timeline zero (dynamic only)
   * @param publishTime when this manifest was made (dynamic only)
   * @param mimeType of the Representation, e.g. {@code video/mp4}
   * @param codecs RFC 6381 codec list
   * @param initUri SegmentTemplate initialization URI, XML-escaped by this class
   * @param mediaUri SegmentTemplate media URI with {@code $Number$}, escaped by this class
   * @param startNumber the session sequence number of the first segment
   */
  public record Manifest(boolean dynamic, Instant availabilityStart, Instant publishTime,
      String mimeType, String codecs, int width, int height, long bandwidthBps, long timescale,
      String initUri, String mediaUri, long startNumber, List<Segment> segments) {}

  public static String write(Manifest m) {
    long totalTicks = 0;
    long longestTicks = 1;
    for (Segment s : m.segments()) {
      totalTicks += s.durationTicks();
      longestTicks = Math.max(longestTicks, s.durationTicks());
    }
    StringBuilder out = new StringBuilder(512 + 96 * m.segments().size());
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.append("<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" xmlns:kvs=\"").append(KVS_NAMESPACE)
        .append("\" profiles=\"urn:mpeg:dash:profile:isoff-live:2011\"");
    out.append(" minBufferTime=\"").append(duration(longestTicks * 2, m.timescale())).append('"');
    if (m.dynamic()) {
      out.append(" type=\"dynamic\" availabilityStartTime=\"")
          .append(XS_DATE_TIME.format(m.availabilityStart())).append("\" publishTime=\"")
          .append(XS_DATE_TIME.format(m.publishTime()))
          .append("\" minimumUpdatePeriod=\"PT1S\" timeShiftBufferDepth=\"")
          .append(duration(Math.max(totalTicks, longestTicks * 3), m.timescale()))
          .append("\" suggestedPresentationDelay=\"")
          .append(duration(longestTicks * 3, m.timescale())).append('"');
    } else {
      out.append(" type=\"static\" mediaPresentationDuration=\"")
          .append(duration(endTicks(m.segments()), m.timescale())).append('"');
    }
    out.append(">\n  <Period id=\"0\" start=\"PT0S\">\n");
    out.append("    <AdaptationSet id=\"0\" mimeType=\"").append(m.mimeType())
        .append("\" segmentAlignment=\"true\" startWithSAP=\"1\">\n");
    out.append("      <Representation id=\"0\" codecs=\"").append(m.codecs())
        .append("\" bandwidth=\"").append(Math.max(1, m.bandwidthBps())).append('"');
    if (m.width() > 0 && m.height() > 0) {
      out.append(" width=\"").append(m.width()).append("\" height=\"").append(m.height())
          .append('"');
    }
    out.append(">\n        <SegmentTemplate timescale=\"").append(m.timescale())
        .append("\" initialization=\"").append(xml(m.initUri())).append("\" media=\"")
        .append(xml(m.mediaUri())).append("\" startNumber=\"").append(m.startNumber())
        .append("\">\n          <SegmentTimeline>\n");
    for (Segment s : m.segments()) {
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
    out.append("      </Representation>\n    </AdaptationSet>\n  </Period>\n</MPD>\n");
    return out.toString();
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
