package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The media of the cluster failure tests' producers, sent in real time: 16 s of H.264 + AAC with a
 * 15-frame (0.5 s) GOP, so 32 clusters, each sent one GOP duration after the previous one.
 *
 * @param head the Matroska header (everything before the first cluster)
 * @param clusters each cluster's bytes, in order
 * @param timecodes each cluster's timecode in ms, as acks report it
 */
record PacedMedia(byte[] head, List<byte[]> clusters, List<Long> timecodes) {
  static final int MEDIA_SECONDS = 16;
  private static final int GOP_FRAMES = 15;
  private static final long GOP_MS = 500;

  static PacedMedia make() {
    Path media = TestMedia.h264Aac(MEDIA_SECONDS, GOP_FRAMES);
    MkvEdit mkv = MkvEdit.of(TestMedia.bytes(media));
    PacedMedia paced = new PacedMedia(mkv.head(), mkv.clusterBytes(),
        Ffmpeg.clusterTimecodesMs(media));
    assertThat(paced.clusters()).hasSize(paced.timecodes().size()).hasSizeGreaterThan(20);
    return paced;
  }

  /** The head, then clusters {@code first}.. each one GOP duration after the previous one. */
  InputStream from(int first) {
    List<InputStream> parts = new ArrayList<>();
    parts.add(new ByteArrayInputStream(head));
    for (int i = first; i < clusters.size(); i++) {
      if (i > first) {
        parts.add(new PauseInputStream(GOP_MS));
      }
      parts.add(new ByteArrayInputStream(clusters.get(i)));
    }
    return new SequenceInputStream(Collections.enumeration(parts));
  }

  /** An empty stream that first waits: a pause in the body between two clusters. */
  private static final class PauseInputStream extends InputStream {
    private final long pauseMs;
    private boolean paused;

    PauseInputStream(long pauseMs) {
      this.pauseMs = pauseMs;
    }

    @Override
    public int read() throws IOException {
      pause();
      return -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      pause();
      return -1;
    }

    private void pause() throws IOException {
      if (!paused) {
        paused = true;
        try {
          Thread.sleep(pauseMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
    }
  }
}
