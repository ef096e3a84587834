package io.framekeep.server.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An MKV made by ffmpeg and split the way PutMedia stores it: the header (everything before the
 * first Cluster) and one byte array per Cluster element, from its ID to its end, which is exactly
 * the payload the server stores for that fragment.
 *
 * <p>Command (320x240 test pattern + 440 Hz tone, H.264 + AAC, a keyframe and a cluster per second):
 * {@code ffmpeg -f lavfi -i testsrc2=size=320x240:rate=30 -f lavfi -i sine=frequency=440:sample_rate=48000
 * -t <seconds> -c:v libx264 -preset ultrafast -g 30 -c:a aac -f matroska -live 1
 * -cluster_time_limit 10000 -cluster_size_limit 50000000 out.mkv}
 */
public record TestMkv(byte[] header, List<byte[]> clusters, long[] clusterTimecodes) {
  static final int ID_SEGMENT = 0x18538067;
  static final int ID_CLUSTER = 0x1F43B675;
  static final int ID_TIMECODE = 0xE7;
  static final int ID_CRC32 = 0xBF;
  static final int ID_VOID = 0xEC;

  /** Encodes {@code seconds} of test media into {@code dir} and splits it. */
  public static TestMkv encode(Path dir, int seconds) throws IOException, InterruptedException {
    Path out = dir.resolve("test-" + seconds + "s.mkv");
    Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
        "-t", Integer.toString(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-g", "30",
        "-c:a", "aac", "-f", "matroska", "-live", "1", "-cluster_time_limit", "10000",
        "-cluster_size_limit", "50000000", out.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("ffmpeg failed; see " + dir.resolve("ffmpeg.log"));
    }
    return split(Files.readAllBytes(out));
  }

  /** Splits an MKV with known-size Clusters inside a Segment of known or unknown size. */
  public static TestMkv split(byte[] mkv) {
    int pos = 0;
    List<byte[]> clusters = new ArrayList<>();
    List<Long> timecodes = new ArrayList<>();
    int headerEnd = -1;
    while (pos < mkv.length) {
      int id = (int) readId(mkv, pos);
      int idLen = idLength(mkv[pos]);
      long size = readSize(mkv, pos + idLen);
      int sizeLen = sizeLength(mkv[pos + idLen]);
      int dataStart = pos + idLen + sizeLen;
      if (id == ID_SEGMENT) {
        pos = dataStart; // descend: its children are the level-1 elements
        continue;
      }
      if (size < 0) {
        throw new IllegalArgumentException("unknown-size element " + Integer.toHexString(id));
      }
      int end = Math.toIntExact(dataStart + size);
      if (id == ID_CLUSTER) {
        if (headerEnd < 0) {
          headerEnd = pos;
        }
        clusters.add(Arrays.copyOfRange(mkv, pos, end));
        timecodes.add(clusterTimecode(mkv, dataStart));
      }
      pos = end;
    }
    long[] tc = timecodes.stream().mapToLong(Long::longValue).toArray();
    return new TestMkv(Arrays.copyOf(mkv, headerEnd), clusters, tc);
  }

  /** The cluster's Timecode: the first child that is not CRC-32 or Void, as ffmpeg writes it. */
  private static long clusterTimecode(byte[] mkv, int pos) {
    while (readId(mkv, pos) != ID_TIMECODE) {
      long id = readId(mkv, pos);
      if (id != ID_CRC32 && id != ID_VOID) {
        throw new IllegalArgumentException("cluster does not start with its Timecode");
      }
      int idLen = idLength(mkv[pos]);
      pos += idLen + sizeLength(mkv[pos + idLen]) + (int) readSize(mkv, pos + idLen);
    }
    int len = (int) readSize(mkv, pos + 1);
    long value = 0;
    for (int i = 0; i < len; i++) {
      value = (value << 8) | (mkv[pos + 2 + i] & 0xFF);
    }
    return value;
  }

  private static int idLength(byte first) {
    return Integer.numberOfLeadingZeros(first & 0xFF) - 23;
  }

  private static int sizeLength(byte first) {
    return Integer.numberOfLeadingZeros(first & 0xFF) - 23;
  }

  private static long readId(byte[] b, int pos) {
    long v = 0;
    for (int i = 0; i < idLength(b[pos]); i++) {
      v = (v << 8) | (b[pos + i] & 0xFF);
    }
    return v;
  }

  /** An EBML size; -1 when all value bits are set (unknown size). */
  private static long readSize(byte[] b, int pos) {
    int len = sizeLength(b[pos]);
    long v = b[pos] & (0xFF >> len);
    boolean allOnes = v == (0xFF >> len);
    for (int i = 1; i < len; i++) {
      v = (v << 8) | (b[pos + i] & 0xFF);
      allOnes &= (b[pos + i] & 0xFF) == 0xFF;
    }
    return allOnes ? -1 : v;
  }

  /** The whole MKV again: header then every cluster. */
  public byte[] bytes() {
    int total = header.length + clusters.stream().mapToInt(c -> c.length).sum();
    byte[] all = Arrays.copyOf(header, total);
    int pos = header.length;
    for (byte[] c : clusters) {
      System.arraycopy(c, 0, all, pos, c.length);
      pos += c.length;
    }
    return all;
  }
}
