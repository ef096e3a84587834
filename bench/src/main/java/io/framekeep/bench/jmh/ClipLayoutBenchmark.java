package io.framekeep.bench.jmh;

import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.mkv.IngestLimits;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.MkvIngestParser;
import io.framekeep.media.mp4.ClipLayout;
import io.framekeep.media.mp4.ClipSource;
import io.framekeep.media.mp4.ProgressiveMp4Builder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Figure 6: the CPU work GetClip does before the first media byte — decoding the stored frame tables and
 * computing the whole MP4 layout (moov with stts/ctts/stss/stsz/stsc/co64) — for a 200-fragment (AWS cap) and a
 * 3600-fragment (1 h) clip of 1 s 1080p30 H.264 + AAC fragments. Input: the frame tables of the MKV named by
 * {@code -Dbench.mkv} (default /tmp/fkbench/base60.mkv), repeated to the wanted count.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ClipLayoutBenchmark {
  @Param({"200", "3600"})
  public int fragments;

  private MkvHeader header;
  private List<byte[]> encoded;
  private List<FrameTable> tables;

  @Setup
  public void load() throws IOException, MediaFormatException {
    List<FrameTable> parsed = new ArrayList<>();
    MkvHeader[] seen = new MkvHeader[1];
    MkvIngestParser parser = new MkvIngestParser(new MkvIngestParser.Listener() {
      @Override
      public void onHeader(MkvHeader h) {
        seen[0] = h;
      }

      @Override
      public void onFragmentStart(long clusterTimecodeTicks) {}

      @Override
      public void onFragmentBytes(ByteBuffer bytes) {}

      @Override
      public void onFragmentEnd(FrameTable frames, long fragmentSizeBytes) {
        parsed.add(frames);
      }
    }, IngestLimits.kvsDefaults());
    parser.feed(ByteBuffer.wrap(Files.readAllBytes(Path.of(System.getProperty("bench.mkv",
        "/tmp/fkbench/base60.mkv")))));
    parser.finish();
    header = seen[0];
    encoded = new ArrayList<>();
    tables = new ArrayList<>();
    for (int i = 0; i < fragments; i++) {
      FrameTable t = parsed.get(i % parsed.size());
      encoded.add(t.encode());
      tables.add(t);
    }
  }

  @Benchmark
  public List<FrameTable> decodeFrameTables() throws MediaFormatException {
    List<FrameTable> out = new ArrayList<>(encoded.size());
    for (byte[] e : encoded) {
      out.add(FrameTable.decode(e));
    }
    return out;
  }

  @Benchmark
  public ClipLayout buildLayout() throws MediaFormatException {
    return ProgressiveMp4Builder.build(new ClipSource(header, tables));
  }
}
