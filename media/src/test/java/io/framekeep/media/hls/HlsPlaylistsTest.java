package io.framekeep.media.hls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HlsPlaylistsTest {
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");

  @Test
  void media_onDemandWithDiscontinuityAndTimestamps_exactText() {
    String text = HlsPlaylists.media(HlsPlaylists.VERSION_FMP4, "init.mp4?S=1", 7, List.of(
        new HlsPlaylists.Segment("seg.mp4?N=7", 2000, false, T0),
        new HlsPlaylists.Segment("seg.mp4?N=8", 2500, true, T0.plusMillis(2600))), true);

    assertThat(text).isEqualTo("""
        #EXTM3U
        #EXT-X-VERSION:7
        #EXT-X-TARGETDURATION:3
        #EXT-X-MEDIA-SEQUENCE:7
        #EXT-X-PLAYLIST-TYPE:VOD
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-MAP:URI="init.mp4?S=1"
        #EXT-X-PROGRAM-DATE-TIME:2026-01-02T03:04:05.678Z
        #EXTINF:2.000,
        seg.mp4?N=7
        #EXT-X-DISCONTINUITY
        #EXT-X-PROGRAM-DATE-TIME:2026-01-02T03:04:08.278Z
        #EXTINF:2.500,
        seg.mp4?N=8
        #EXT-X-ENDLIST
        """);
  }

  @Test
  void media_initSegmentChanges_mapAfterTheDiscontinuity() {
    String text = HlsPlaylists.media(HlsPlaylists.VERSION_FMP4, "init.mp4?S=1", 0, List.of(
        new HlsPlaylists.Segment("seg.mp4?N=0", 1000, false, null),
        new HlsPlaylists.Segment("seg.mp4?N=1", 1000, true, null, "init.mp4?N=1&S=1")), true);

    assertThat(text).contains("""
        #EXT-X-MAP:URI="init.mp4?S=1"
        #EXTINF:1.000,
        seg.mp4?N=0
        #EXT-X-DISCONTINUITY
        #EXT-X-MAP:URI="init.mp4?N=1&S=1"
        #EXTINF:1.000,
        seg.mp4?N=1
        """);
  }

  @Test
  void media_live_noEndListNoPlaylistType() {
    String text = HlsPlaylists.media(HlsPlaylists.VERSION_FMP4, "i", 0,
        List.of(new HlsPlaylists.Segment("s", 1000, false, null)), false);

    assertThat(text).doesNotContain("#EXT-X-ENDLIST", "#EXT-X-PLAYLIST-TYPE",
        "#EXT-X-PROGRAM-DATE-TIME").contains("#EXT-X-TARGETDURATION:1\n");
  }

  @Test
  void master_withCodecsAndResolution_oneVariant() {
    assertThat(HlsPlaylists.master(7, "media.m3u8?T=x", 500_000, "avc1.64001f,mp4a.40.2", 320,
        240)).isEqualTo("""
        #EXTM3U
        #EXT-X-VERSION:7
        #EXT-X-INDEPENDENT-SEGMENTS
        #EXT-X-STREAM-INF:BANDWIDTH=500000,CODECS="avc1.64001f,mp4a.40.2",RESOLUTION=320x240
        media.m3u8?T=x
        """);
  }
}
