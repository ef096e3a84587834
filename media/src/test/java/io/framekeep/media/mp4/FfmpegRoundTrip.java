package io.framekeep.media.mp4;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.mkv.IngestLimits;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.MkvIngestParser;
import io.framekeep.media.mkv.TrackInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Shared steps of the ffmpeg round-trip tests: make a KVS-style MKV with ffmpeg (written to a pipe
 * so that every GOP is one cluster), split it with {@link MkvIngestParser}, write clips from a
 * segment file with {@link ClipWriter#fromFiles}, and hash decoded frames with ffmpeg's {@code
 * framemd5}. Not thread-safe; one instance per test class.
 */
final class FfmpegRoundTrip {
  static final long PROCESS_TIMEOUT_SECONDS = 120;
  private static final int FEED_CHUNK_BYTES = 7_777; // odd size: clusters arrive split anywhere

  /** What the ingest parser produced: the header, and per fragment its table and payload. */
  record Parsed(MkvHeader header, List<FrameTable> tables, List<byte[]> payloads) {
    TrackInfo firstTrack(boolean video) {
      return header.tracks().stream().filter(t -> video ? t.isVideo() : t.isAudio()).findFirst()
          .orElseThrow();
    }

    /** Frames of a track in fragments [from, to). */
    int frames(long track, int from, int to) {
      int count = 0;
      for (FrameTable t : tables.subList(from, to)) {
        for (int i = 0; i < t.size(); i++) {
          count += t.trackNumber(i) == track ? 1 : 0;
        }
      }
      return count;
    }

    /** Frames of {@code track} in fragment {@code f} timed before its first key frame of video. */
    int framesBeforeKey(long track, int f) {
      FrameTable t = tables.get(f);
      long videoTrack = firstTrack(true).trackNumber();
      long keyTicks = Long.MIN_VALUE;
      for (int i = 0; i < t.size() && keyTicks == Long.MIN_VALUE; i++) {
        if (t.trackNumber(i) == videoTrack && t.isKeyFrame(i)) {
          keyTicks = t.timeTicks(i);
        }
      }
      int dropped = 0;
      for (int i = 0; i < t.size(); i++) {
        dropped += t.trackNumber(i) == track && t.timeTicks(i) < keyTicks ? 1 : 0;
      }
      return dropped;
    }
  }

  record Result(int exitCode, String stdout, String stderr) {}

  final Path dir;

  FfmpegRoundTrip(Path dir) {
    this.dir = dir;
  }

  static boolean hasFfmpeg() {
    return hasTool("ffmpeg") && hasTool("ffprobe");
  }

  /** Runs {@code ffmpeg -v error <args> -f matroska -live 1 ... -} into {@code name}. */
  Path makeMkv(String name, String... encodeArgs) throws Exception {
    List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error"));
    command.addAll(List.of(encodeArgs));
    command.addAll(List.of("-f", "matroska", "-live", "1", "-cluster_size_limit", "50000000",
        "-cluster_time_limit", "10000", "-"));
    Path mkv = dir.resolve(name);
    Path err = dir.resolve(name + ".err");
    Process process = new ProcessBuilder(command).redirectOutput(mkv.toFile())
        .redirectError(err.toFile()).start();
    assertThat(process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(err)).isZero();
    return mkv;
  }

  static Parsed parse(byte[] mkv) throws MediaFormatException {
    List<FrameTable> tables = new ArrayList<>();
    List<byte[]> payloads = new ArrayList<>();
    MkvHeader[] header = new MkvHeader[1];
    ByteArrayOutputStream current = new ByteArrayOutputStream();
    MkvIngestParser parser = new MkvIngestParser(new MkvIngestParser.Listener() {
      @Override
      public void onHeader(MkvHeader h) {
        header[0] = h;
      }

      @Override
      public void onFragmentStart(long clusterTimecodeTicks) {
        current.reset();
      }

      @Override
      public void onFragmentBytes(ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        current.writeBytes(copy);
      }

      @Override
      public void onFragmentEnd(FrameTable frames, long fragmentSizeBytes) {
        assertThat(current.size()).isEqualTo(fragmentSizeBytes);
        tables.add(frames);
        payloads.add(current.toByteArray());
      }
    }, IngestLimits.kvsDefaults());
    for (int p = 0; p < mkv.length; p += FEED_CHUNK_BYTES) {
      parser.feed(ByteBuffer.wrap(mkv, p, Math.min(FEED_CHUNK_BYTES, mkv.length - p)));
    }
    parser.finish();
    return new Parsed(header[0], tables, payloads);
  }

  /**
   * Builds the clip of fragments [from, to) of {@code tables} and writes it through a segment file
   * holding {@code payloads} back to back, as storage does.
   */
  Path writeClip(MkvHeader header, List<FrameTable> tables, List<byte[]> payloads, int from,
      int to, String name) throws Exception {
    ClipLayout layout = ProgressiveMp4Builder.build(
        new ClipSource(header, tables.subList(from, to)));
    Path segment = dir.resolve(name + ".segment");
    long[] positions = new long[to - from];
    try (FileChannel out = FileChannel.open(segment, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      long position = 0;
      for (int i = 0; i < payloads.size(); i++) {
        if (i >= from && i < to) {
          positions[i - from] = position;
        }
        out.write(ByteBuffer.wrap(payloads.get(i)));
        position += payloads.get(i).length;
      }
    }
    Path clip = dir.resolve(name);
    try (FileChannel in = FileChannel.open(segment, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(clip, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      long written = ClipWriter.write(layout, ClipWriter.fromFiles(i -> in, i -> positions[i]), out);
      assertThat(written).isEqualTo(layout.totalBytes());
    }
    assertThat(Files.size(clip)).isEqualTo(layout.totalBytes());
    return clip;
  }

  /** One {@code framemd5} hash per decoded frame of stream {@code map} (e.g. {@code 0:v:0}). */
  List<String> hashes(Path media, String map) throws Exception {
    Result r = run("ffmpeg", "-v", "error", "-i", media.toString(), "-map", map,
        "-fps_mode", "passthrough", "-f", "framemd5", "-");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stderr()).isEmpty();
    List<String> out = new ArrayList<>();
    for (String line : r.stdout().lines().toList()) {
      if (!line.startsWith("#") && !line.isBlank()) {
        String[] fields = line.split(",");
        out.add(fields[fields.length - 1].trim());
      }
    }
    return out;
  }

  /** MD5 of the whole decoded stream {@code map} as raw signed 16-bit little-endian PCM. */
  String pcmHash(Path media, String map) throws Exception {
    Result r = run("ffmpeg", "-v", "error", "-i", media.toString(), "-map", map,
        "-c:a", "pcm_s16le", "-f", "md5", "-");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    return r.stdout().trim();
  }

  /** ffprobe's {@code codec_type,codec_name,codec_tag_string} per stream. */
  Result probe(Path media) throws Exception {
    return run("ffprobe", "-v", "error", "-show_entries",
        "stream=codec_type,codec_name,codec_tag_string", "-of", "csv=p=0", media.toString());
  }

  /** Decodes every stream to nothing; a good clip gives exit 0 and an empty stderr. */
  Result decode(Path media) throws Exception {
    return run("ffmpeg", "-v", "error", "-i", media.toString(), "-f", "null", "-");
  }

  /** Types of the top-level boxes, read from the file's own size fields. */
  static List<String> topLevelBoxes(byte[] file) {
    List<String> types = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(file);
    while (in.remaining() >= 8) {
      int start = in.position();
      long size = in.getInt() & 0xFFFF_FFFFL;
      byte[] type = new byte[4];
      in.get(type);
      if (size == 1) {
        size = in.getLong();
      }
      types.add(new String(type, java.nio.charset.StandardCharsets.US_ASCII));
      assertThat(size).isGreaterThanOrEqualTo(8).isLessThanOrEqualTo(file.length - start);
      in.position((int) (start + size));
    }
    assertThat(in.hasRemaining()).isFalse();
    return types;
  }

  Result run(String... command) throws Exception {
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    Path out = Files.createTempFile(dir, "stdout", ".txt");
    Process p = new ProcessBuilder(command).redirectError(err.toFile())
        .redirectOutput(out.toFile()).start();
    assertThat(p.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static boolean hasTool(String tool) {
    try {
      Process p = new ProcessBuilder(tool, "-version").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
