package io.framekeep.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * KVS-style test media, made with ffmpeg once per JVM into a temporary directory and shared by all
 * tests (making it takes under a second; committing it would add half a megabyte).
 *
 * <p>{@link #h264Aac()} is made by exactly:
 *
 * <pre>
 * ffmpeg -f lavfi -i testsrc2=size=320x240:rate=30 -f lavfi -i sine=frequency=440:sample_rate=48000 \
 *   -t 10 -c:v libx264 -preset veryfast -profile:v high -g 30 -keyint_min 30 -sc_threshold 0 -bf 2 \
 *   -c:a aac -b:a 64k -f matroska -live 1 -cluster_size_limit 50000000 -cluster_time_limit 10000 \
 *   h264-aac-10s.mkv
 * </pre>
 *
 * <p>That is 300 video frames in ten closed 30-frame GOPs with B-frames, mono 48 kHz AAC, an
 * unknown-size Segment, and one Cluster per GOP (ten clusters, each about 1 s). ffmpeg writes
 * its own timestamps: TimecodeScale 1 ms and cluster timecodes starting near 0 (the first at
 * about 21 ms, because the muxer shifts the B-frame video so its DTS is not negative). Each
 * cluster may begin with an audio block a few tens of ms before the GOP's key frame, because the
 * muxer interleaves by DTS.
 *
 * <p>Timestamp choice: uploads use {@code x-amzn-fragment-timecode-type: RELATIVE} with an
 * {@code x-amzn-producer-start-timestamp}, exactly what a live encoder piping ffmpeg output does,
 * so a fragment's producer timestamp is the start timestamp plus its cluster timecode. No
 * {@code -output_ts_offset}/{@code -copyts} rewriting is needed.
 */
final class TestMedia {
  static final int VIDEO_FRAMES_PER_SECOND = 30;
  static final int GOP_FRAMES = 30;
  static final int DURATION_SECONDS = 10;
  static final int VIDEO_FRAME_COUNT = VIDEO_FRAMES_PER_SECOND * DURATION_SECONDS;
  static final int AUDIO_SAMPLE_RATE = 48_000;
  /** Samples per AAC-LC frame. */
  static final int AAC_FRAME_SAMPLES = 1024;

  private static final Map<String, Path> MADE = new HashMap<>();

  private TestMedia() {}

  /** The ten-second H.264 + AAC KVS-style MKV described above; made on first use. */
  static Path h264Aac() {
    return h264Aac(DURATION_SECONDS, GOP_FRAMES);
  }

  /**
   * The same media as {@link #h264Aac()} but {@code seconds} long with {@code gopFrames}-frame GOPs,
   * hence one cluster (fragment) every {@code gopFrames / 30} seconds; made on first use.
   */
  static Path h264Aac(int seconds, int gopFrames) {
    return make("h264-aac-" + seconds + "s-gop" + gopFrames + ".mkv", seconds, gopFrames, "high");
  }

  /**
   * Like {@link #h264Aac()} but encoded with the H.264 Main profile: same tracks and codec, other
   * codec private data (the SPS names another profile), and no frame decodes to the same picture.
   */
  static Path h264AacMainProfile() {
    return make("h264-aac-main-10s.mkv", DURATION_SECONDS, GOP_FRAMES, "main");
  }

  private static synchronized Path make(String name, int seconds, int gopFrames, String profile) {
    Path made = MADE.get(name);
    if (made != null) {
      return made;
    }
    try {
      Path dir = Files.createTempDirectory("framekeep-it-media-");
      dir.toFile().deleteOnExit();
      Path out = dir.resolve(name);
      Ffmpeg.run(List.of("ffmpeg", "-nostdin", "-v", "error",
          "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=" + VIDEO_FRAMES_PER_SECOND,
          "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=" + AUDIO_SAMPLE_RATE,
          "-t", Integer.toString(seconds),
          "-c:v", "libx264", "-preset", "veryfast", "-profile:v", profile,
          "-g", Integer.toString(gopFrames), "-keyint_min", Integer.toString(gopFrames),
          "-sc_threshold", "0", "-bf", "2",
          "-c:a", "aac", "-b:a", "64k",
          "-f", "matroska", "-live", "1",
          "-cluster_size_limit", "50000000", "-cluster_time_limit", "10000",
          out.toString()).toArray(String[]::new));
      out.toFile().deleteOnExit();
      MADE.put(name, out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file's bytes (the MKV is about 0.5 MB). */
  static byte[] h264AacBytes() {
    return bytes(h264Aac());
  }

  static byte[] bytes(Path media) {
    try {
      return Files.readAllBytes(media);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
