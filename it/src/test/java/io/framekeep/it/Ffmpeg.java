package io.framekeep.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs ffmpeg, ffprobe and mkvinfo on media files and parses what they print. Every method blocks
 * until the tool exits and fails (with the tool's stderr) if it exits non-zero. Thread-safe.
 */
final class Ffmpeg {
  /** Generous: the largest job here decodes ten seconds of 320x240 video. */
  private static final long TOOL_TIMEOUT_SECONDS = 120;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** mkvinfo -v prints a level-1 Cluster as "|+ Cluster" and its timestamp on a following line. */
  private static final Pattern CLUSTER_TIMESTAMP =
      Pattern.compile("^\\| \\+ Cluster timestamp: (\\d+):(\\d+):(\\d+)\\.(\\d{9})$");

  private Ffmpeg() {}

  /**
   * One frame or packet as printed by ffmpeg's framemd5 muxer: {@code stream, dts, pts, duration,
   * size, hash}, times in the stream's time base {@code timeBaseSeconds} (for decoded audio that
   * is 1/sample rate, so {@code durationTicks} is the sample count).
   */
  record Frame(long dtsTicks, long ptsTicks, long durationTicks, int sizeBytes, String md5,
      double timeBaseSeconds) {
    long ptsMs() {
      return Math.round(ptsTicks * timeBaseSeconds * 1000);
    }
  }

  /** Decoded video frames of the first video stream, in output order, none dropped or doubled. */
  static List<Frame> videoFrames(Path file) {
    return framemd5(file, "0:v:0", "-fps_mode", "passthrough");
  }

  /** Decoded audio frames of the first audio stream, as 32-bit float PCM (no conversion). */
  static List<Frame> audioFrames(Path file) {
    return framemd5(file, "0:a:0", "-c:a", "pcm_f32le");
  }

  /** Coded packets of the first audio stream, copied without decoding: hashes of the bytes. */
  static List<Frame> audioPackets(Path file) {
    return framemd5(file, "0:a:0", "-c", "copy");
  }

  /** Every audio packet stored in an MP4, including those its edit list hides from playback. */
  static List<Frame> audioPacketsIgnoringEditList(Path file) {
    List<String> command = List.of("ffmpeg", "-nostdin", "-v", "error", "-ignore_editlist", "1",
        "-i", file.toString(), "-map", "0:a:0", "-c", "copy", "-f", "framemd5", "-");
    return parseFramemd5(run(command.toArray(String[]::new)));
  }

  static List<String> hashes(List<Frame> frames) {
    return frames.stream().map(Frame::md5).toList();
  }

  /**
   * The first audio stream decoded to signed 16-bit little-endian PCM, as played (edit lists
   * applied): two bytes per sample per channel.
   */
  static byte[] decodedAudioS16(Path file) {
    return decodedAudioS16(file.toString());
  }

  /** {@link #decodedAudioS16(Path)} of a file or URL (HLS, DASH). */
  static byte[] decodedAudioS16(String input) {
    try {
      Path raw = java.nio.file.Files.createTempFile("framekeep-pcm-", ".s16");
      try {
        run("ffmpeg", "-nostdin", "-v", "error", "-y", "-i", input, "-map", "0:a:0",
            "-f", "s16le", "-c:a", "pcm_s16le", raw.toString());
        return java.nio.file.Files.readAllBytes(raw);
      } finally {
        java.nio.file.Files.deleteIfExists(raw);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final Pattern TIME_BASE = Pattern.compile("^#tb 0: (\\d+)/(\\d+)$");

  private static List<Frame> framemd5(Path file, String map, String... options) {
    List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error",
        "-i", file.toString(), "-map", map));
    command.addAll(List.of(options));
    command.addAll(List.of("-f", "framemd5", "-"));
    return parseFramemd5(run(command.toArray(String[]::new)));
  }

  private static List<Frame> parseFramemd5(String out) {
    List<Frame> frames = new ArrayList<>();
    double timeBase = Double.NaN;
    for (String line : out.split("\n")) {
      Matcher tb = TIME_BASE.matcher(line.strip());
      if (tb.matches()) {
        timeBase = Double.parseDouble(tb.group(1)) / Double.parseDouble(tb.group(2));
      }
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] cols = line.split(",");
      if (cols.length != 6) {
        throw new IllegalStateException("unexpected framemd5 line: " + line);
      }
      frames.add(new Frame(Long.parseLong(cols[1].trim()), Long.parseLong(cols[2].trim()),
          Long.parseLong(cols[3].trim()), Integer.parseInt(cols[4].trim()), cols[5].trim(),
          timeBase));
    }
    return frames;
  }

  /** Everything ffmpeg reports at level "error" while decoding every stream; empty when clean. */
  static String decodeErrors(Path file) {
    Result r = exec("ffmpeg", "-nostdin", "-v", "error", "-i", file.toString(), "-f", "null", "-");
    if (r.exitCode != 0) {
      return "exit code " + r.exitCode + ": " + r.stderr;
    }
    return r.stderr;
  }

  /** {@code ffprobe -show_streams -show_format} as JSON. */
  static JsonNode probe(Path file) {
    String out = run("ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json",
        file.toString());
    try {
      return JSON.readTree(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Codec names of all streams, in stream order, e.g. {@code [h264, aac]}. */
  static List<String> codecNames(Path file) {
    List<String> names = new ArrayList<>();
    probe(file).path("streams").forEach(s -> names.add(s.path("codec_name").asText()));
    return names;
  }

  /**
   * Presentation times (ms) of the video key frames, and the presentation-order index of each
   * (from the packets, so no decoding).
   */
  record KeyFrame(int presentationIndex, long ptsMs) {}

  static List<KeyFrame> videoKeyFrames(Path file) {
    String out = run("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
        "packet=pts_time,flags", "-of", "csv=p=0", file.toString());
    record Packet(long ptsMs, boolean key) {}
    List<Packet> packets = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] cols = line.split(",");
      long ptsMs = Math.round(Double.parseDouble(cols[0]) * 1000);
      packets.add(new Packet(ptsMs, cols[1].startsWith("K")));
    }
    packets.sort((a, b) -> Long.compare(a.ptsMs, b.ptsMs));
    List<KeyFrame> keys = new ArrayList<>();
    for (int i = 0; i < packets.size(); i++) {
      if (packets.get(i).key) {
        keys.add(new KeyFrame(i, packets.get(i).ptsMs));
      }
    }
    return keys;
  }

  /**
   * Cluster timecodes (ms, with the 1 ms TimecodeScale ffmpeg writes) of a Matroska file, in file
   * order, as mkvinfo sees them: an oracle for fragment count and ack FragmentTimecodes that does
   * not share code with the server's parser.
   */
  static List<Long> clusterTimecodesMs(Path mkv) {
    String out = run("mkvinfo", "-v", mkv.toString());
    List<Long> timecodes = new ArrayList<>();
    for (String line : out.split("\n")) {
      Matcher m = CLUSTER_TIMESTAMP.matcher(line.stripTrailing());
      if (m.matches()) {
        long ns = Long.parseLong(m.group(4));
        long seconds = Long.parseLong(m.group(1)) * 3600 + Long.parseLong(m.group(2)) * 60
            + Long.parseLong(m.group(3));
        timecodes.add(seconds * 1000 + ns / 1_000_000);
      }
    }
    return timecodes;
  }

  /**
   * Four-character types of the top-level ISO BMFF boxes, in file order, read from the box
   * headers alone (32-bit size + type, 64-bit largesize when size is 1, size 0 = to end of file).
   */
  static List<String> topLevelBoxes(Path mp4) {
    List<String> types = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(mp4, StandardOpenOption.READ)) {
      long fileSize = ch.size();
      long pos = 0;
      ByteBuffer header = ByteBuffer.allocate(16);
      while (pos + 8 <= fileSize) {
        header.clear().limit(8);
        readFully(ch, header, pos);
        long size = Integer.toUnsignedLong(header.getInt(0));
        String type = new String(header.array(), 4, 4, StandardCharsets.ISO_8859_1);
        if (size == 1) {
          header.clear().limit(8);
          readFully(ch, header, pos + 8);
          size = header.getLong(0);
        } else if (size == 0) {
          size = fileSize - pos;
        }
        if (size < 8 || pos + size > fileSize) {
          throw new IllegalStateException("box " + type + " at " + pos + " has size " + size
              + " in a file of " + fileSize + " bytes");
        }
        types.add(type);
        pos += size;
      }
      if (pos != fileSize) {
        throw new IllegalStateException((fileSize - pos) + " trailing bytes after the last box");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return types;
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      if (ch.read(buf, pos + buf.position()) < 0) {
        throw new IOException("unexpected end of file at " + pos);
      }
    }
  }

  /** Runs a tool and returns its stdout; fails with its stderr if it exits non-zero. */
  /**
   * The hashes of ffmpeg's decoded video frames of {@code input} (a file or URL: HLS, DASH), every
   * frame passed through, in output order.
   */
  static List<String> videoHashes(String input) {
    return java.util.Arrays.stream(run("ffmpeg", "-nostdin", "-v", "error", "-i", input, "-map",
            "0:v:0", "-fps_mode", "passthrough", "-f", "framemd5", "-").split("\n"))
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.substring(l.lastIndexOf(',') + 1).trim()).toList();
  }

  static String run(String... command) {
    Result r = exec(command);
    if (r.exitCode != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + r.exitCode
          + ": " + r.stderr);
    }
    return r.stdout;
  }

  private record Result(int exitCode, String stdout, String stderr) {}

  private static Result exec(String... command) {
    try {
      Process p = new ProcessBuilder(command).start();
      p.getOutputStream().close();
      CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
      String stdout = drain(p.getInputStream());
      if (!p.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(command[0] + " did not finish in " + TOOL_TIMEOUT_SECONDS
            + " s");
      }
      return new Result(p.exitValue(), stdout, stderr.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String drain(InputStream in) {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
