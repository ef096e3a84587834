package io.framekeep.media.mkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Runs {@link MkvIngestParser} over a body whole, byte by byte and in seeded random splits, and
 * checks that every way gives the same result (or the same failure).
 */
final class ParseRun implements MkvIngestParser.Listener {
  /** One fragment as the listener saw it. */
  record Fragment(long timecodeTicks, byte[] bytes, FrameTable frames, long sizeBytes) {}

  MkvHeader header;
  int headerCalls;
  final List<Fragment> fragments = new ArrayList<>();
  private Long currentTimecode;
  private ByteArrayOutputStream currentBytes;
  /** Largest number of fragment bytes seen before a failure; used by size-limit tests. */
  long bytesOfOpenFragment;

  private static final long[] SEEDS = {1, 42, 20261126};

  /** Parses {@code body} in every split mode and returns the whole-buffer result. */
  static ParseRun parseAllWays(byte[] body, IngestLimits limits) throws MediaFormatException {
    ParseRun whole = parse(body, limits, List.of(body.length));
    assertSame(whole, parse(body, limits, oneByteSplits(body.length)), "byte by byte");
    for (long seed : SEEDS) {
      assertSame(whole, parse(body, limits, randomSplits(body.length, seed)), "random seed " + seed);
    }
    return whole;
  }

  /** Parses {@code body} in every split mode, expecting the same failure each time. */
  static MediaFormatException failAllWays(byte[] body, IngestLimits limits) {
    MediaFormatException first = failure(body, limits, List.of(body.length));
    List<List<Integer>> others = new ArrayList<>();
    others.add(oneByteSplits(body.length));
    for (long seed : SEEDS) {
      others.add(randomSplits(body.length, seed));
    }
    for (List<Integer> splits : others) {
      MediaFormatException e = failure(body, limits, splits);
      assertThat(e.ackErrorId()).isEqualTo(first.ackErrorId());
      assertThat(e.kind()).isEqualTo(first.kind());
      assertThat(e.getMessage()).isEqualTo(first.getMessage());
    }
    return first;
  }

  private static MediaFormatException failure(byte[] body, IngestLimits limits, List<Integer> splits) {
    try {
      parse(body, limits, splits);
    } catch (MediaFormatException e) {
      return e;
    }
    return fail("expected a MediaFormatException");
  }

  static ParseRun parse(byte[] body, IngestLimits limits, List<Integer> splits)
      throws MediaFormatException {
    ParseRun run = new ParseRun();
    MkvIngestParser parser = new MkvIngestParser(run, limits);
    int offset = 0;
    for (int length : splits) {
      // Each chunk sits in a larger buffer at a non-zero position, as network buffers do.
      ByteBuffer chunk = ByteBuffer.allocate(length + 6);
      chunk.position(3);
      chunk.put(body, offset, length);
      chunk.flip();
      chunk.position(3);
      parser.feed(chunk);
      assertThat(chunk.hasRemaining()).isFalse();
      offset += length;
    }
    parser.finish();
    return run;
  }

  static List<Integer> oneByteSplits(int length) {
    List<Integer> splits = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      splits.add(1);
    }
    return splits;
  }

  static List<Integer> randomSplits(int length, long seed) {
    Random random = new Random(seed);
    List<Integer> splits = new ArrayList<>();
    int left = length;
    while (left > 0) {
      int n = Math.min(left, random.nextInt(random.nextBoolean() ? 8 : 3000) + 1);
      splits.add(n);
      left -= n;
    }
    splits.add(0);
    return splits;
  }

  private static void assertSame(ParseRun expected, ParseRun actual, String mode) {
    assertThat(actual.dump()).as(mode).isEqualTo(expected.dump());
    assertThat(actual.fragments).as(mode).hasSameSizeAs(expected.fragments);
    for (int i = 0; i < expected.fragments.size(); i++) {
      assertThat(actual.fragments.get(i).bytes()).as(mode).isEqualTo(expected.fragments.get(i).bytes());
    }
    if (expected.header != null) {
      assertThat(actual.header.rawBytes()).as(mode).isEqualTo(expected.header.rawBytes());
    }
  }

  /** A text dump of everything observed (header fields, fragment sizes, frame tables). */
  String dump() {
    StringBuilder sb = new StringBuilder();
    if (header != null) {
      sb.append("header bytes=").append(header.rawBytes().length)
          .append(" scale=").append(header.timecodeScaleNs()).append('\n');
      for (TrackInfo t : header.tracks()) {
        sb.append(" track ").append(t.trackNumber()).append(' ').append(t.codecId())
            .append(" cpd=").append(t.codecPrivate().length).append('\n');
      }
    }
    for (Fragment f : fragments) {
      sb.append("fragment tc=").append(f.timecodeTicks()).append(" size=").append(f.sizeBytes())
          .append('\n').append(frameLines(f.frames()));
    }
    return sb.toString();
  }

  static String frameLines(FrameTable t) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < t.size(); i++) {
      sb.append("  track=").append(t.trackNumber(i)).append(" key=").append(t.isKeyFrame(i))
          .append(" rel=").append(t.relativeTimeTicks(i)).append(" offset=").append(t.offset(i))
          .append(" size=").append(t.frameSize(i)).append(" dur=").append(t.durationTicks(i))
          .append('\n');
    }
    return sb.toString();
  }

  @Override
  public void onHeader(MkvHeader h) {
    assertThat(header).isNull();
    header = h;
    headerCalls++;
  }

  @Override
  public void onFragmentStart(long clusterTimecodeTicks) {
    assertThat(header).isNotNull();
    assertThat(currentTimecode).isNull();
    currentTimecode = clusterTimecodeTicks;
    currentBytes = new ByteArrayOutputStream();
  }

  @Override
  public void onFragmentBytes(ByteBuffer bytes) {
    assertThat(currentBytes).as("bytes after onFragmentStart").isNotNull();
    byte[] b = new byte[bytes.remaining()];
    bytes.get(b);
    currentBytes.writeBytes(b);
    bytesOfOpenFragment = currentBytes.size();
  }

  @Override
  public void onFragmentEnd(FrameTable frames, long fragmentSizeBytes) {
    assertThat(currentTimecode).isNotNull();
    assertThat(frames.clusterTimecodeTicks()).isEqualTo(currentTimecode);
    byte[] bytes = currentBytes.toByteArray();
    assertThat((long) bytes.length).isEqualTo(fragmentSizeBytes);
    fragments.add(new Fragment(currentTimecode, bytes, frames, fragmentSizeBytes));
    currentTimecode = null;
    currentBytes = null;
    bytesOfOpenFragment = 0;
  }
}
