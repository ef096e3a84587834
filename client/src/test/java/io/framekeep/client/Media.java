package io.framekeep.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Test media made with ffmpeg once per JVM, and frame hashes of decoded files. The upload fixture
 * is exactly:
 *
 * <pre>
 * ffmpeg -f lavfi -i testsrc2=size=320x240:rate=30 -f lavfi -i sine=frequency=440:sample_rate=48000 \
 *   -t 10 -c:v libx264 -preset veryfast -g 30 -keyint_min 30 -sc_threshold 0 -bf 2 \
 *   -c:a aac -b:a 64k -f matroska -live 1 -cluster_size_limit 50000000 -cluster_time_limit 10000 out.mkv
 * </pre>
 *
 * ten one-second clusters (one fragment per GOP), B-frames, AAC audio. Thread-safe.
 */
final class Media {
  static final int SECONDS = 10;
  static final int VIDEO_FRAMES = 30 * SECONDS;
  private static final long TOOL_TIMEOUT_SECONDS = 120;
  private static Path mkv;

  private Media() {}

  static synchronized Path h264Aac() {
    if (mkv == null) {
      try {
        Path dir = Files.createTempDirectory("framekeep-client-media");
        dir.toFile().deleteOnExit();
        Path out = dir.resolve("h264-aac.mkv");
        run("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
            "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i",
            "sine=frequency=440:sample_rate=48000", "-t", String.valueOf(SECONDS),
            "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-keyint_min", "30",
            "-sc_threshold", "0", "-bf", "2", "-c:a", "aac", "-b:a", "64k", "-f", "matroska",
            "-live", "1", "-cluster_size_limit", "50000000", "-cluster_time_limit", "10000",
            out.toString());
        out.toFile().deleteOnExit();
        mkv = out;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return mkv;
  }

  /** framemd5 hashes of the decoded frames of one stream ("v" or "a"), in output order. */
  static List<String> frameHashes(Path file, String streamType) {
    String out = run("ffmpeg", "-nostdin", "-v", "error", "-i", file.toString(), "-map",
        "0:" + streamType + ":0", "-fps_mode", "passthrough", "-f", "framemd5", "-");
    List<String> hashes = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] cols = line.split(",");
        hashes.add(cols[cols.length - 1].trim());
      }
    }
    return hashes;
  }

  /** A stream's duration in seconds as ffprobe reports it. */
  static double duration(Path file, String streamType) {
    String out = run("ffprobe", "-v", "error", "-select_streams", streamType + ":0",
        "-show_entries", "stream=duration", "-of", "csv=p=0", file.toString());
    return Double.parseDouble(out.trim());
  }

  /** ffmpeg's complaints while decoding every stream; empty when the file is clean. */
  static String decodeErrors(Path file) {
    return run("ffmpeg", "-nostdin", "-v", "error", "-i", file.toString(), "-f", "null", "-");
  }

  /** Runs a tool, returns stdout; stderr goes to the returned text only on failure. */
  static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).start();
      CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
      byte[] out = readAll(p.getInputStream());
      if (!p.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", command));
      }
      String stderr = new String(err.join(), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(command[0] + " failed (" + p.exitValue() + "): " + stderr);
      }
      return new String(out, StandardCharsets.UTF_8) + stderr;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      return b.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
