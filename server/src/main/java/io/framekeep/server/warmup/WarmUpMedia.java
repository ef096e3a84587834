package io.framekeep.server.warmup;

import java.io.IOException;
import java.io.InputStream;

/**
 * The media the warm-up uploads: an MKV with {@code fragments} clusters spanning
 * {@code durationMs}, as one PutMedia body.
 *
 * @param bytes the whole MKV (EBML header, Segment, Tracks, clusters)
 * @param fragments its clusters: the PERSISTED acks one upload must produce
 * @param durationMs the producer time one upload covers; the next upload starts there
 */
record WarmUpMedia(byte[] bytes, int fragments, long durationMs) {
  /** The built-in resource, beside this class. */
  static final String RESOURCE = "warm-up.mkv";

  /**
   * The built-in media: 3 s of 320x240 H.264 + AAC in live layout, one keyframe and one cluster
   * per second, as ffmpeg's {@code -f matroska -live 1} writes it (the test fixture
   * {@code avc_aac_live_3s.mkv}; 143 kB, so that 100 uploads stay under 15 MB of scratch writes).
   */
  static WarmUpMedia builtIn() throws IOException {
    try (InputStream in = WarmUpMedia.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("resource " + RESOURCE + " missing");
      }
      return new WarmUpMedia(in.readAllBytes(), 3, 3000);
    }
  }
}
