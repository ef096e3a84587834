package io.framekeep.media.dash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class DashManifestsTest {
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");

  private static DashManifests.Manifest manifest(boolean dynamic) {
    List<DashManifests.Segment> video = List.of(
        new DashManifests.Segment(0, 90_000, T0, "91343852333181432392682062607743920146264867270"),
        new DashManifests.Segment(90_000, 180_000, T0.plusSeconds(1), null));
    List<DashManifests.Segment> audio = List.of(new DashManifests.Segment(0, 48_000, null, null),
        new DashManifests.Segment(48_000, 96_000, null, null));
    return new DashManifests.Manifest(dynamic, T0, T0.plusSeconds(9), 4, List.of(
        new DashManifests.AdaptationSet("video/mp4", "avc1.64001f", 320, 240, 400_000, 90_000,
            "init.mp4?TrackNumber=1&T=a", "m.mp4?FragmentNumber=$Number$&TrackNumber=1&T=a", video),
        new DashManifests.AdaptationSet("audio/mp4", "mp4a.40.2", 0, 0, 128_000, 48_000,
            "init.mp4?TrackNumber=2&T=a", "m.mp4?FragmentNumber=$Number$&TrackNumber=2&T=a",
            audio)), "http://127.0.0.1:8567/time");
  }

  private static Element parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    Document d = f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    return d.getDocumentElement();
  }

  @Test
  void write_static_wellFormedWithDurationTimelineAndKvsAttributes() throws Exception {
    Element mpd = parse(DashManifests.write(manifest(false)));

    assertThat(mpd.getAttribute("type")).isEqualTo("static");
    assertThat(mpd.getAttribute("mediaPresentationDuration")).isEqualTo("PT3S");
    assertThat(mpd.getElementsByTagName("AdaptationSet").getLength()).isEqualTo(2);
    Element template = (Element) mpd.getElementsByTagName("SegmentTemplate").item(0);
    assertThat(template.getAttribute("media"))
        .isEqualTo("m.mp4?FragmentNumber=$Number$&TrackNumber=1&T=a");
    assertThat(template.getAttribute("startNumber")).isEqualTo("4");
    Element first = (Element) template.getElementsByTagName("S").item(0);
    assertThat(first.getAttributeNS(DashManifests.KVS_NAMESPACE, "ts"))
        .isEqualTo(String.valueOf(T0.toEpochMilli()));
    assertThat(first.getAttributeNS(DashManifests.KVS_NAMESPACE, "fn"))
        .isEqualTo("91343852333181432392682062607743920146264867270");
    Element second = (Element) template.getElementsByTagName("S").item(1);
    assertThat(second.hasAttributeNS(DashManifests.KVS_NAMESPACE, "fn")).isFalse();
  }

  @Test
  void write_dynamic_availabilityAndUpdatePeriod() throws Exception {
    Element mpd = parse(DashManifests.write(manifest(true)));

    assertThat(mpd.getAttribute("type")).isEqualTo("dynamic");
    assertThat(mpd.getAttribute("availabilityStartTime")).isEqualTo("2026-01-02T03:04:05.678Z");
    assertThat(mpd.getAttribute("publishTime")).isEqualTo("2026-01-02T03:04:14.678Z");
    assertThat(mpd.getAttribute("minimumUpdatePeriod")).isEqualTo("PT1S");
    assertThat(mpd.hasAttribute("mediaPresentationDuration")).isFalse();
  }

  @Test
  void write_dynamic_utcTimingAfterPeriodNamesTheTimeUrl() throws Exception {
    Element mpd = parse(DashManifests.write(manifest(true)));

    Element timing = (Element) mpd.getElementsByTagName("UTCTiming").item(0);
    assertThat(timing).isNotNull();
    assertThat(timing.getAttribute("schemeIdUri")).isEqualTo("urn:mpeg:dash:utc:http-iso:2014");
    assertThat(timing.getAttribute("value")).isEqualTo("http://127.0.0.1:8567/time");
    assertThat(timing.getPreviousSibling().getPreviousSibling().getNodeName())
        .isEqualTo("Period");
  }

  @Test
  void write_static_noUtcTiming() throws Exception {
    Element mpd = parse(DashManifests.write(manifest(false)));

    assertThat(mpd.getElementsByTagName("UTCTiming").getLength()).isZero();
  }
}
