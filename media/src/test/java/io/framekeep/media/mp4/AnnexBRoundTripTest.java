package io.framekeep.media.mp4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.framekeep.media.FrameInspection;
import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Annex-B and corrupt H.264 frames end to end. ffmpeg makes a KVS-style H.264 + AAC MKV ({@code
 * ffmpeg -f lavfi -i testsrc2=size=320x240:rate=30 -f lavfi -i
 * sine=frequency=440:sample_rate=48000 -t 4 -c:v libx264 -preset veryfast -g 30 -keyint_min 30
 * -sc_threshold 0 -bf 2 -c:a aac -aac_pns 0 -b:a 64k -f matroska -live 1 -cluster_size_limit
 * 50000000 -cluster_time_limit 10000 - > in.mkv}); the ingested fragments are then rewritten the
 * way a producer without NAL adaptation would send them:
 *
 * <ul>
 *   <li>each 4-byte length prefix replaced by the start code {@code 00 00 00 01} (same size, same
 *       frame table);
 *   <li>each frame re-packed with 3-byte start codes (first NAL unit with a 4-byte one) into new
 *       payloads with new offsets, as a producer's own cluster would hold them;
 *   <li>one NAL length enlarged so that it runs past its frame.
 * </ul>
 *
 * <p>{@link FrameInspection} flags the frames as ingest does, and the clips must decode to exactly
 * the source frames, or fail with InvalidMediaFrame naming the fragment.
 */
class AnnexBRoundTripTest {
  private static final int NAL_LENGTH_SIZE = 4; // libx264's avcC declares 4-byte lengths
  private static final int CORRUPT_FRAGMENT = 2;

  @TempDir static Path dir;
  private static FfmpegRoundTrip ffmpeg;
  private static FfmpegRoundTrip.Parsed parsed;
  private static long videoTrack;
  private static List<String> sourceVideoHashes;

  @BeforeAll
  static void makeSource() throws Exception {
    assumeTrue(FfmpegRoundTrip.hasFfmpeg(), "ffmpeg/ffprobe not installed");
    ffmpeg = new FfmpegRoundTrip(dir);
    Path mkv = ffmpeg.makeMkv("in.mkv", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "4", "-c:v", "libx264",
        "-preset", "veryfast", "-g", "30", "-keyint_min", "30", "-sc_threshold", "0", "-bf", "2",
        "-c:a", "aac", "-aac_pns", "0", "-b:a", "64k");
    parsed = FfmpegRoundTrip.parse(Files.readAllBytes(mkv));
    videoTrack = parsed.firstTrack(true).trackNumber();
    sourceVideoHashes = ffmpeg.hashes(mkv, "0:v:0");
  }

  @Test
  void inspection_ffmpegLengthPrefixedFrames_noFlagsSet() throws Exception {
    List<FrameTable> inspected = inspect(parsed.tables(), parsed.payloads());

    for (FrameTable t : inspected) {
      for (int i = 0; i < t.size(); i++) {
        assertThat(t.flags(i) & ~FrameTable.FLAG_KEY_FRAME).as("frame %d", i).isZero();
      }
    }
  }

  @Test
  void clip_fourByteStartCodes_flaggedAndDecodesToSourceFrames() throws Exception {
    List<byte[]> payloads = new ArrayList<>();
    for (int f = 0; f < parsed.tables().size(); f++) {
      byte[] copy = parsed.payloads().get(f).clone();
      FrameTable t = parsed.tables().get(f);
      for (int i = 0; i < t.size(); i++) {
        if (t.trackNumber(i) == videoTrack) {
          replacePrefixesWithStartCodes(copy, t.offset(i), t.frameSize(i));
        }
      }
      payloads.add(copy);
    }
    List<FrameTable> inspected = inspect(parsed.tables(), payloads);

    FrameTable first = inspected.get(0);
    int firstVideo = firstVideoFrame(first);
    assertThat(first.isAnnexB(firstVideo)).isTrue();
    assertThat(first.convertedSize(firstVideo)).isEqualTo(first.frameSize(firstVideo));
    assertVideoMatches(inspected, payloads, 0, inspected.size(), "four.mp4");
    assertVideoMatches(inspected, payloads, 1, 3, "four-middle.mp4");
  }

  @Test
  void clip_threeByteStartCodesInNewPayloads_flaggedAndDecodesToSourceFrames() throws Exception {
    List<FrameTable> tables = new ArrayList<>();
    List<byte[]> payloads = new ArrayList<>();
    for (int f = 0; f < parsed.tables().size(); f++) {
      FrameTable t = parsed.tables().get(f);
      byte[] source = parsed.payloads().get(f);
      FrameTable.Builder b = new FrameTable.Builder(t.timecodeScaleNs(), t.clusterTimecodeTicks());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int i = 0; i < t.size(); i++) {
        int offset = out.size();
        if (t.trackNumber(i) == videoTrack) {
          writeWithShortStartCodes(source, t.offset(i), t.frameSize(i), out);
        } else {
          out.write(source, t.offset(i), t.frameSize(i));
        }
        b.add(t.trackNumber(i), t.isKeyFrame(i), t.relativeTimeTicks(i), offset,
            out.size() - offset, t.durationTicks(i));
      }
      tables.add(b.build());
      payloads.add(out.toByteArray());
    }
    List<FrameTable> inspected = inspect(tables, payloads);

    FrameTable first = inspected.get(0);
    int firstVideo = firstVideoFrame(first);
    assertThat(first.isAnnexB(firstVideo)).isTrue();
    assertThat(first.convertedSize(firstVideo))
        .isEqualTo(parsed.tables().get(0).frameSize(firstVideo));
    assertVideoMatches(inspected, payloads, 0, inspected.size(), "three.mp4");
    assertVideoMatches(inspected, payloads, 2, inspected.size(), "three-late.mp4");
    FfmpegRoundTrip.Result decode = ffmpeg.decode(ffmpeg.writeClip(parsed.header(), inspected,
        payloads, 0, inspected.size(), "three-decode.mp4"));
    assertThat(decode.exitCode()).isZero();
    assertThat(decode.stderr()).isEmpty();
  }

  @Test
  void build_corruptNalLengthInFragment2_invalidMediaFrameNamingFragment() throws Exception {
    List<byte[]> payloads = corruptedPayloads();
    List<FrameTable> inspected = inspect(parsed.tables(), payloads);

    assertThat(invalidFrames(inspected.get(CORRUPT_FRAGMENT))).isEqualTo(1);
    assertThatThrownBy(() -> ProgressiveMp4Builder.build(
        new ClipSource(parsed.header(), inspected)))
        .isInstanceOfSatisfying(MediaFormatException.class, e -> {
          assertThat(e.kind()).isEqualTo(MediaFormatException.Kind.INVALID_MEDIA_FRAME);
          assertThat(e.getMessage()).contains("fragment " + CORRUPT_FRAGMENT + " frame ");
        });
  }

  @Test
  void clip_goodFragmentsBeforeCorruptOne_decodesToSourceFrames() throws Exception {
    List<byte[]> payloads = corruptedPayloads();
    List<FrameTable> inspected = inspect(parsed.tables(), payloads);

    assertVideoMatches(inspected, payloads, 0, CORRUPT_FRAGMENT, "before-corrupt.mp4");
  }

  /** Fragment {@link #CORRUPT_FRAGMENT}'s third video frame gets a first NAL length 1000 too big. */
  private static List<byte[]> corruptedPayloads() {
    List<byte[]> payloads = new ArrayList<>(parsed.payloads());
    FrameTable t = parsed.tables().get(CORRUPT_FRAGMENT);
    byte[] copy = payloads.get(CORRUPT_FRAGMENT).clone();
    int seen = 0;
    for (int i = 0; i < t.size(); i++) {
      if (t.trackNumber(i) == videoTrack && ++seen == 3) {
        ByteBuffer frame = ByteBuffer.wrap(copy, t.offset(i), NAL_LENGTH_SIZE);
        frame.putInt(t.offset(i), frame.getInt(t.offset(i)) + 1000);
      }
    }
    payloads.set(CORRUPT_FRAGMENT, copy);
    return payloads;
  }

  private static int invalidFrames(FrameTable t) {
    int count = 0;
    for (int i = 0; i < t.size(); i++) {
      count += t.isInvalid(i) ? 1 : 0;
    }
    return count;
  }

  private static int firstVideoFrame(FrameTable t) {
    for (int i = 0; i < t.size(); i++) {
      if (t.trackNumber(i) == videoTrack) {
        return i;
      }
    }
    throw new AssertionError("no video frame");
  }

  /** What ingest does after writing each fragment. */
  private static List<FrameTable> inspect(List<FrameTable> tables, List<byte[]> payloads)
      throws Exception {
    List<FrameTable> out = new ArrayList<>();
    for (int f = 0; f < tables.size(); f++) {
      byte[] payload = payloads.get(f);
      out.add(FrameInspection.inspect(parsed.header(), tables.get(f),
          (offset, size) -> ByteBuffer.wrap(payload, offset, size).slice()));
    }
    return out;
  }

  private static void replacePrefixesWithStartCodes(byte[] payload, int offset, int size) {
    ByteBuffer frame = ByteBuffer.wrap(payload);
    int p = offset;
    while (p < offset + size) {
      int length = frame.getInt(p);
      frame.putInt(p, 1); // 00 00 00 01
      p += NAL_LENGTH_SIZE + length;
    }
    assertThat(p).isEqualTo(offset + size);
  }

  private static void writeWithShortStartCodes(byte[] payload, int offset, int size,
      ByteArrayOutputStream out) {
    ByteBuffer frame = ByteBuffer.wrap(payload);
    int p = offset;
    while (p < offset + size) {
      int length = frame.getInt(p);
      out.writeBytes(p == offset ? new byte[] {0, 0, 0, 1} : new byte[] {0, 0, 1});
      out.write(payload, p + NAL_LENGTH_SIZE, length);
      p += NAL_LENGTH_SIZE + length;
    }
  }

  private static void assertVideoMatches(List<FrameTable> tables, List<byte[]> payloads, int from,
      int to, String name) throws Exception {
    Path clip = ffmpeg.writeClip(parsed.header(), tables, payloads, from, to, name);
    List<String> clipHashes = ffmpeg.hashes(clip, "0:v:0");
    int offset = parsed.frames(videoTrack, 0, from);

    assertThat(clipHashes).hasSize(parsed.frames(videoTrack, from, to));
    assertThat(clipHashes).isEqualTo(sourceVideoHashes.subList(offset, offset + clipHashes.size()));
  }
}
