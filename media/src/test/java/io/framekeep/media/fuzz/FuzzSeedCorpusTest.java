package io.framekeep.media.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.mkv.IngestLimits;
import io.framekeep.media.mkv.MatroskaIds;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.MkvIngestParser;
import io.framekeep.media.mkv.TrackInfo;
import io.framekeep.media.codec.AvcDecoderConfig;
import io.framekeep.media.codec.HevcDecoderConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Derives the fuzz seed corpus from the MKV fixtures ({@code fixtures/README.md}) and checks that
 * the committed seeds are what this derivation gives; {@code -Dfuzz.seeds.update=true} rewrites
 * them (see {@code io/framekeep/media/fuzz/README.md} in the test resources).
 *
 * <p>The fixtures are shrunk for fuzzing: every Cluster after the second is dropped, and so are
 * Cues; every block keeps its header and at most {@link #KEPT_FRAME_BYTES} bytes of frame data,
 * with sizes rewritten. The element structure (EBML header, Info, Tracks with the real codec
 * private data, Clusters of known or unknown size, SimpleBlocks) stays that of the fixture, and the
 * seeds stay a few KiB, which keeps the fuzzer's inputs short and its executions fast.
 */
class FuzzSeedCorpusTest {
  private static final Path RESOURCES = Path.of("src/test/resources/io/framekeep/media/fuzz");
  private static final String[] FIXTURES = {"avc_aac_3s", "avc_aac_live_3s", "avc_video_only_2s"};
  private static final int KEPT_CLUSTERS = 2;
  private static final int KEPT_BLOCKS_PER_CLUSTER = 24;
  private static final int KEPT_FRAME_BYTES = 4;
  /** SimpleBlock/Block header without lacing: track varint (1 byte here), int16 time, flags. */
  private static final int BLOCK_HEADER_BYTES = 4;
  private static final int TABLES_PER_FIXTURE = 2;
  /**
   * hvcC of a one-frame x265 file, as in HevcDecoderConfigTest (there is no H.265 MKV fixture):
   * {@code ffmpeg -f lavfi -i testsrc2=size=320x240:rate=30 -frames:v 1 -c:v libx265 -f matroska
   * hevc320.mkv}, extradata from {@code ffprobe -show_data -show_streams}, SEI array removed.
   */
  private static final String HEVC_320x240_HVCC = "0101600000009000000000003cf000fcfdf8f800000f0320"
      + "0001001840010c01ffff01600000030090000003000003003c959809210001002a4201010160000003"
      + "0090000003000003003ca00a080f165959a4932bc05a020000030002000003003c1022000100074401"
      + "c172b46240";
  /**
   * WAVEFORMATEX as the KVS producer SDK writes it for G.711 µ-law, little-endian: wFormatTag 7,
   * nChannels 1, nSamplesPerSec 8000, nAvgBytesPerSec 8000, nBlockAlign 1, wBitsPerSample 8,
   * cbSize 0.
   */
  private static final String G711_MULAW_WFX = "0700" + "0100" + "401f0000" + "401f0000" + "0100"
      + "0800" + "0000";
  private static final byte[] UNKNOWN_SIZE = {0x01, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
      (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

  @Test
  void seeds_derivedFromFixtures_matchCommittedFiles() throws Exception {
    Map<Path, byte[]> seeds = derive();
    if (Boolean.getBoolean("fuzz.seeds.update")) {
      for (Map.Entry<Path, byte[]> e : seeds.entrySet()) {
        Files.createDirectories(e.getKey().getParent());
        Files.write(e.getKey(), e.getValue());
      }
    }
    for (Map.Entry<Path, byte[]> e : seeds.entrySet()) {
      assertThat(e.getKey()).as("seed file; create it with -Dfuzz.seeds.update=true").exists();
      assertThat(Files.readAllBytes(e.getKey())).as(e.getKey().toString()).isEqualTo(e.getValue());
    }
  }

  static Map<Path, byte[]> derive() throws IOException, MediaFormatException {
    Map<Path, byte[]> seeds = new LinkedHashMap<>();
    Path mkv = inputs("MkvIngestParserFuzzTest",
        "parse_anyBytesAnySplit_onlyMediaFormatExceptionAndSplitIndependent");
    Path ebml = inputs("EbmlReaderFuzzTest",
        "read_anyBytesAnySplit_onlyMediaFormatExceptionAndSplitIndependent");
    Path codec = inputs("CodecPrivateDataFuzzTest",
        "parse_anyBytes_onlyMediaFormatExceptionAndFieldsInRange");
    Path tables = inputs("FrameTableFuzzTest",
        "decode_anyBytes_onlyMediaFormatExceptionAndEntriesInRange");
    int seed = 1;
    for (String name : FIXTURES) {
      byte[] file = fixture(name);
      byte[] small = shrink(file, false);
      Captured captured = capture(file);
      // Modes (see FuzzInput): 0x06 large random pieces, 0x04 1-8 byte pieces, 0x01 parseHeader,
      // 0x0E tiny limits with large pieces, 0x07 the bit-derived EBML schema.
      seeds.put(mkv.resolve("seed-" + name), FuzzInput.encode(0x06, seed++, small));
      seeds.put(mkv.resolve("seed-" + name + "-small-pieces"), FuzzInput.encode(0x04, seed++, small));
      seeds.put(mkv.resolve("seed-" + name + "-header"),
          FuzzInput.encode(0x01, 0, captured.header.rawBytes()));
      seeds.put(mkv.resolve("seed-" + name + "-tiny-limits"), FuzzInput.encode(0x0E, seed++, small));
      seeds.put(ebml.resolve("seed-" + name), FuzzInput.encode(0x06, seed++, small));
      seeds.put(ebml.resolve("seed-" + name + "-bits-schema"), FuzzInput.encode(0x07, seed++, small));
      for (TrackInfo track : captured.header.tracks()) {
        if (track.isVideo()) {
          byte[] cpd = track.codecPrivate();
          seeds.put(codec.resolve("seed-" + name + "-avcC"), prefixed(CodecPrivateDataFuzzTest.AVC_DECODER_CONFIG, cpd));
          seeds.put(codec.resolve("seed-" + name + "-sps"),
              prefixed(CodecPrivateDataFuzzTest.AVC_SPS, AvcDecoderConfig.parse(cpd).sps().get(0)));
        } else {
          seeds.put(codec.resolve("seed-" + name + "-asc"),
              prefixed(CodecPrivateDataFuzzTest.AAC_AUDIO_SPECIFIC_CONFIG, track.codecPrivate()));
        }
      }
      for (int i = 0; i < TABLES_PER_FIXTURE && i < captured.tables.size(); i++) {
        seeds.put(tables.resolve("seed-" + name + "-" + i), captured.tables.get(i).encode());
      }
    }
    byte[] hvcC = HexFormat.of().parseHex(HEVC_320x240_HVCC);
    seeds.put(codec.resolve("seed-hevc320-hvcC"),
        prefixed(CodecPrivateDataFuzzTest.HEVC_DECODER_CONFIG, hvcC));
    seeds.put(codec.resolve("seed-hevc320-sps"),
        prefixed(CodecPrivateDataFuzzTest.HEVC_SPS, HevcDecoderConfig.parse(hvcC).sps().get(0)));
    seeds.put(codec.resolve("seed-g711-mulaw-wfx"),
        prefixed(CodecPrivateDataFuzzTest.WAVE_FORMAT_EX, HexFormat.of().parseHex(G711_MULAW_WFX)));
    byte[] unknownClusters = shrink(fixture("avc_aac_live_3s"), true);
    seeds.put(mkv.resolve("seed-unknown-size-clusters"), FuzzInput.encode(0x06, seed++, unknownClusters));
    seeds.put(ebml.resolve("seed-unknown-size-clusters"), FuzzInput.encode(0x06, seed, unknownClusters));
    return seeds;
  }

  private static Path inputs(String testClass, String method) {
    return RESOURCES.resolve(testClass + "Inputs").resolve(method);
  }

  private static byte[] prefixed(int selector, byte[] body) {
    byte[] out = new byte[body.length + 1];
    out[0] = (byte) selector;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = FuzzSeedCorpusTest.class.getResourceAsStream("/fixtures/" + name + ".mkv")) {
      return in.readAllBytes();
    }
  }

  /** The header and frame tables the parser gives for a fixture. */
  private record Captured(MkvHeader header, List<FrameTable> tables) {}

  private static Captured capture(byte[] file) throws MediaFormatException {
    MkvHeader[] header = new MkvHeader[1];
    List<FrameTable> tables = new ArrayList<>();
    MkvIngestParser parser = new MkvIngestParser(new MkvIngestParser.Listener() {
      @Override
      public void onHeader(MkvHeader h) {
        header[0] = h;
      }

      @Override
      public void onFragmentStart(long clusterTimecodeTicks) {}

      @Override
      public void onFragmentBytes(ByteBuffer bytes) {}

      @Override
      public void onFragmentEnd(FrameTable frames, long fragmentSizeBytes) {
        tables.add(frames);
      }
    }, IngestLimits.kvsDefaults());
    parser.feed(ByteBuffer.wrap(file));
    parser.finish();
    return new Captured(header[0], tables);
  }

  /** Rewrites a (trusted) fixture as described in the class comment. */
  static byte[] shrink(byte[] file, boolean unknownSizeClusters) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < file.length) {
      Element e = Element.at(file, at, file.length);
      if (e.id == MatroskaIds.ID_SEGMENT) {
        out.writeBytes(idBytes(file, e));
        out.writeBytes(UNKNOWN_SIZE);
        out.writeBytes(segmentChildren(file, e.dataStart, e.end, unknownSizeClusters));
      } else {
        out.write(file, e.start, e.end - e.start);
      }
      at = e.end;
    }
    return out.toByteArray();
  }

  private static byte[] segmentChildren(byte[] file, int from, int to, boolean unknownSizeClusters) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int clusters = 0;
    for (int at = from; at < to; ) {
      Element e = Element.at(file, at, to);
      at = e.end;
      if (e.id == MatroskaIds.ID_CLUSTER) {
        if (clusters++ < KEPT_CLUSTERS) {
          byte[] body = clusterChildren(file, e.dataStart, e.end);
          out.writeBytes(idBytes(file, e));
          out.writeBytes(unknownSizeClusters ? UNKNOWN_SIZE : sizeBytes(body.length));
          out.writeBytes(body);
        }
      } else if (e.id != MatroskaIds.ID_CUES) {
        out.write(file, e.start, e.end - e.start);
      }
    }
    return out.toByteArray();
  }

  private static byte[] clusterChildren(byte[] file, int from, int to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int blocks = 0;
    for (int at = from; at < to; ) {
      Element e = Element.at(file, at, to);
      at = e.end;
      if (e.id == MatroskaIds.ID_SIMPLE_BLOCK) {
        if (blocks++ < KEPT_BLOCKS_PER_CLUSTER) {
          int kept = Math.min(e.end - e.dataStart, BLOCK_HEADER_BYTES + KEPT_FRAME_BYTES);
          out.writeBytes(idBytes(file, e));
          out.writeBytes(sizeBytes(kept));
          out.write(file, e.dataStart, kept);
        }
      } else {
        out.write(file, e.start, e.end - e.start);
      }
    }
    return out.toByteArray();
  }

  private static byte[] idBytes(byte[] file, Element e) {
    byte[] id = new byte[e.idLength];
    System.arraycopy(file, e.start, id, 0, e.idLength);
    return id;
  }

  /** The shortest EBML size varint for {@code size}. */
  private static byte[] sizeBytes(long size) {
    int n = 1;
    while (size >= (1L << (7 * n)) - 1) {
      n++;
    }
    byte[] b = new byte[n];
    long v = size | (1L << (7 * n));
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (v >>> (8 * (n - 1 - i)));
    }
    return b;
  }

  /** One element of a well-formed file; unknown sizes extend to {@code limit}. */
  private record Element(int id, int start, int idLength, int dataStart, int end) {
    static Element at(byte[] b, int start, int limit) {
      int idLength = Integer.numberOfLeadingZeros(b[start] & 0xFF) - 23;
      int id = (int) bigEndian(b, start, idLength);
      int sizeStart = start + idLength;
      int sizeLength = Integer.numberOfLeadingZeros(b[sizeStart] & 0xFF) - 23;
      long size = bigEndian(b, sizeStart, sizeLength) & ((1L << (7 * sizeLength)) - 1);
      boolean unknown = size == (1L << (7 * sizeLength)) - 1;
      int dataStart = sizeStart + sizeLength;
      return new Element(id, start, idLength, dataStart, unknown ? limit : (int) (dataStart + size));
    }

    private static long bigEndian(byte[] b, int from, int length) {
      long v = 0;
      for (int i = 0; i < length; i++) {
        v = (v << 8) | (b[from + i] & 0xFF);
      }
      return v;
    }
  }
}
