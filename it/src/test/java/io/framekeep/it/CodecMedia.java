package io.framekeep.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Short KVS-style MKVs of each codec combination GetClip is tested with, made with ffmpeg on first
 * use into a temporary directory and shared by the tests of one JVM.
 *
 * <p>Every file is {@value #DURATION_SECONDS} s of {@code testsrc2=size=320x240:rate=30} with
 * closed 30-frame GOPs and B-frames, muxed as a live producer would:
 *
 * <pre>
 * ffmpeg -f lavfi -i testsrc2=size=320x240:rate=30 [-f lavfi -i &lt;audio source&gt;] -t 4 \
 *   &lt;video options&gt; [&lt;audio options&gt;] \
 *   -f matroska -live 1 -cluster_size_limit 50000000 -cluster_time_limit 10000 out.mkv
 * </pre>
 *
 * <p>so each file has an unknown-size Segment and one Cluster (one fragment) per GOP: four
 * fragments of about one second (the audio-only file, having no GOPs, is one Cluster). The video options of each {@link Video} and audio options of each
 * {@link Audio} are listed beside them. G.711 audio is seeded white noise rather than a tone, so
 * that a run of decoded samples occurs exactly once in the source and a clip's audio can be
 * located in it sample-exactly.
 */
final class CodecMedia {
  static final int DURATION_SECONDS = 4;
  static final int FRAMES_PER_SECOND = 30;
  static final int GOP_FRAMES = 30;
  static final int VIDEO_FRAME_COUNT = DURATION_SECONDS * FRAMES_PER_SECOND;
  static final int G711_SAMPLE_RATE = 8000;

  /** Video encodings. */
  enum Video {
    H264("-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-keyint_min", "30",
        "-sc_threshold", "0", "-bf", "2"),
    /** Another H.264 encoder set-up: same codec ID and track, different SPS (codec private). */
    H264_BASELINE("-c:v", "libx264", "-preset", "veryfast", "-profile:v", "baseline", "-g", "30",
        "-keyint_min", "30", "-sc_threshold", "0"),
    H265("-c:v", "libx265", "-preset", "veryfast",
        "-x265-params", "keyint=30:min-keyint=30:scenecut=0:bframes=2:open-gop=0:log-level=error"),
    /** VP8: ffmpeg writes codec ID V_VP8 and no CodecPrivate. */
    VP8("-c:v", "libvpx", "-g", "30", "-keyint_min", "30", "-b:v", "300k", "-deadline",
        "realtime", "-cpu-used", "8"),
    NONE;

    final List<String> options;

    Video(String... options) {
      this.options = List.of(options);
    }
  }

  /** Audio encodings, each with its lavfi source. */
  enum Audio {
    AAC("sine=frequency=440:sample_rate=48000", "-c:a", "aac", "-b:a", "64k"),
    ALAW("anoisesrc=color=white:sample_rate=8000:amplitude=0.3:seed=7", "-c:a", "pcm_alaw",
        "-ar", "8000"),
    MULAW("anoisesrc=color=white:sample_rate=8000:amplitude=0.3:seed=7", "-c:a", "pcm_mulaw",
        "-ar", "8000"),
    NONE(null);

    final String source;
    final List<String> options;

    Audio(String source, String... options) {
      this.source = source;
      this.options = List.of(options);
    }
  }

  private static final Map<String, Path> MADE = new HashMap<>();
  private static Path dir;

  private CodecMedia() {}

  /** The file for this combination; made on first use. */
  static synchronized Path file(Video video, Audio audio) {
    String name = video.name().toLowerCase() + "-" + audio.name().toLowerCase() + ".mkv";
    Path made = MADE.get(name);
    if (made != null) {
      return made;
    }
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("framekeep-it-codecs-");
        dir.toFile().deleteOnExit();
      }
      Path out = dir.resolve(name);
      List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error"));
      if (video != Video.NONE) {
        command.addAll(List.of("-f", "lavfi", "-i",
            "testsrc2=size=320x240:rate=" + FRAMES_PER_SECOND));
      }
      if (audio != Audio.NONE) {
        command.addAll(List.of("-f", "lavfi", "-i", audio.source));
      }
      command.addAll(List.of("-t", Integer.toString(DURATION_SECONDS)));
      command.addAll(video.options);
      command.addAll(audio.options);
      command.addAll(List.of("-f", "matroska", "-live", "1",
          "-cluster_size_limit", "50000000", "-cluster_time_limit", "10000", out.toString()));
      Ffmpeg.run(command.toArray(String[]::new));
      out.toFile().deleteOnExit();
      MADE.put(name, out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(Video video, Audio audio) {
    try {
      return Files.readAllBytes(file(video, audio));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
