package io.framekeep.media.kvs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.media.MediaFormatException;
import io.framekeep.media.ebml.EbmlReader;
import io.framekeep.media.ebml.EbmlSchema;
import io.framekeep.media.ebml.EbmlType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Chunk prefixes and suffixes are read back with the project's EBML reader: structure, service
 * tag values, and the producer's pre-cluster bytes replayed unchanged.
 */
class KvsChunkWriterTest {
  private static final int ID_EBML = 0x1A45DFA3;
  private static final int ID_DOC_TYPE = 0x4282;
  private static final int ID_SEGMENT = 0x18538067;
  private static final int ID_INFO = 0x1549A966;
  private static final int ID_TIMECODE_SCALE = 0x2AD7B1;
  private static final int ID_VOID = 0xEC;
  private static final int ID_CLUSTER = 0x1F43B675;

  /** EBML header + Segment (known size when {@code segmentSize >= 0}) + Void + Info. */
  private static byte[] storedHeader(long segmentSize) {
    ByteBuffer out = ByteBuffer.allocate(256);
    byte[] docType = "matroska".getBytes(StandardCharsets.US_ASCII);
    EbmlWriter.putHeader(out, ID_EBML, EbmlWriter.elementLength(ID_DOC_TYPE, docType.length));
    EbmlWriter.putString(out, ID_DOC_TYPE, "matroska");
    if (segmentSize < 0) {
      EbmlWriter.putUnknownSizeHeader(out, ID_SEGMENT);
    } else {
      EbmlWriter.putHeader(out, ID_SEGMENT, segmentSize);
    }
    EbmlWriter.putHeader(out, ID_VOID, 3);
    out.put(new byte[3]);
    EbmlWriter.putHeader(out, ID_INFO, EbmlWriter.unsignedElementLength(ID_TIMECODE_SCALE, 1_000_000));
    EbmlWriter.putUnsigned(out, ID_TIMECODE_SCALE, 1_000_000);
    return Arrays.copyOf(out.array(), out.position());
  }

  /** Reads EBML/Segment/Tags/Tag/SimpleTag as masters and names + strings as values. */
  private static final EbmlSchema SCHEMA = new EbmlSchema() {
    @Override
    public EbmlType type(int id) {
      return switch (id) {
        case ID_EBML, ID_SEGMENT, 0x1254C367, KvsChunkWriter.ID_TAG, KvsChunkWriter.ID_TARGETS,
            KvsChunkWriter.ID_SIMPLE_TAG -> EbmlType.MASTER;
        case ID_DOC_TYPE, KvsChunkWriter.ID_TAG_NAME, KvsChunkWriter.ID_TAG_STRING -> EbmlType.STRING;
        default -> EbmlType.OPAQUE;
      };
    }

    @Override
    public boolean endsUnknownSize(int parentId, int childId) {
      return childId == ID_EBML || childId == ID_SEGMENT;
    }
  };

  /** "id@level" for each element start and "name=value" for each tag, in order. */
  private static List<String> events(ByteBuffer bytes) throws MediaFormatException {
    EbmlReader reader = new EbmlReader(SCHEMA);
    reader.endOfInput();
    List<String> out = new ArrayList<>();
    String name = null;
    while (true) {
      EbmlReader.Event e = reader.read(bytes);
      if (e == EbmlReader.Event.END_OF_INPUT) {
        return out;
      }
      if (e == EbmlReader.Event.ELEMENT_START) {
        out.add(Integer.toHexString(reader.elementId()) + "@" + reader.level()
            + (reader.dataSize() == EbmlReader.UNKNOWN_SIZE ? "?" : ""));
      } else if (e == EbmlReader.Event.VALUE && reader.elementId() == KvsChunkWriter.ID_TAG_NAME) {
        name = reader.stringValue();
      } else if (e == EbmlReader.Event.VALUE && reader.elementId() == KvsChunkWriter.ID_TAG_STRING) {
        out.add(name + "=" + reader.stringValue());
      }
    }
  }

  @Test
  void prefix_knownSizeSegment_unknownSizeSegmentWithHeaderBytesAndServiceTags() throws Exception {
    byte[] raw = storedHeader(1_000_000);
    StoredHeader header = StoredHeader.parse(raw);
    ByteBuffer prefix = KvsChunkWriter.prefix(header, "91000000000000000000000000000000000000000000042",
        1_511_852_109_126L, 0L);

    List<String> events = events(prefix.duplicate());
    assertThat(events).containsSubsequence("1a45dfa3@0", "18538067@0?", "ec@1", "1549a966@1",
        "1254c367@1", "7373@2", "63c0@3", "67c8@3",
        "AWS_KINESISVIDEO_FRAGMENT_NUMBER=91000000000000000000000000000000000000000000042",
        "AWS_KINESISVIDEO_SERVER_TIMESTAMP=1511852109.126",
        "AWS_KINESISVIDEO_PRODUCER_TIMESTAMP=0.000");
    // The pre-cluster elements are the stored bytes, unchanged.
    byte[] all = new byte[prefix.remaining()];
    prefix.duplicate().get(all);
    byte[] preCluster = Arrays.copyOfRange(raw, header.preClusterStart(), header.preClusterEnd());
    int at = header.ebmlHeaderLength() + 12;
    assertThat(Arrays.copyOfRange(all, at, at + preCluster.length)).isEqualTo(preCluster);
    assertThat(Arrays.copyOfRange(all, 0, header.ebmlHeaderLength()))
        .isEqualTo(Arrays.copyOfRange(raw, 0, header.ebmlHeaderLength()));
  }

  @Test
  void storedHeader_unknownSizeSegment_splitsAtSameOffsets() throws Exception {
    StoredHeader known = StoredHeader.parse(storedHeader(1_000_000));
    StoredHeader unknown = StoredHeader.parse(storedHeader(-1));
    assertThat(unknown.ebmlHeaderLength()).isEqualTo(known.ebmlHeaderLength());
    assertThat(unknown.preClusterLength()).isEqualTo(known.preClusterLength());
  }

  @Test
  void storedHeader_followedByClusterHeader_stopsBeforeCluster() throws Exception {
    byte[] raw = storedHeader(-1);
    ByteArrayOutputStream withCluster = new ByteArrayOutputStream();
    withCluster.write(raw);
    ByteBuffer cluster = ByteBuffer.allocate(16);
    EbmlWriter.putUnknownSizeHeader(cluster, ID_CLUSTER);
    withCluster.write(cluster.array(), 0, cluster.position());
    StoredHeader header = StoredHeader.parse(withCluster.toByteArray());
    assertThat(header.preClusterEnd()).isEqualTo(raw.length);
  }

  @Test
  void storedHeader_truncatedInsideElement_malformed() {
    byte[] raw = storedHeader(-1);
    assertThatThrownBy(() -> StoredHeader.parse(Arrays.copyOf(raw, raw.length - 2)))
        .isInstanceOf(MediaFormatException.class);
    assertThatThrownBy(() -> StoredHeader.parse(new byte[] {(byte) 0xEC, (byte) 0x80}))
        .isInstanceOf(MediaFormatException.class);
  }

  @Test
  void suffix_millisBehindAndToken_asTags() throws Exception {
    assertThat(events(KvsChunkWriter.suffix(15_858, "tok")))
        .containsExactly("1254c367@0", "7373@1", "63c0@2", "67c8@2", "45a3@3", "4487@3",
            "AWS_KINESISVIDEO_MILLIS_BEHIND_NOW=15858", "7373@1", "63c0@2", "67c8@2", "45a3@3",
            "4487@3", "AWS_KINESISVIDEO_CONTINUATION_TOKEN=tok");
  }

  @Test
  void errorChunk_fragment_errorTagsBothSpellingsNoServerTimestamp() throws Exception {
    List<String> events = events(KvsChunkWriter.errorChunk("7", 4000, "FRAGMENT_NOT_FOUND", "gone"));
    assertThat(events).startsWith("1a45dfa3@0").contains("18538067@0?")
        .contains("AWS_KINESISVIDEO_FRAGMENT_NUMBER=7", "AWS_KINESISVIDEO_ERROR_ID=4000",
            "AWS_KINESISVIDEO_ERROR_CODE=FRAGMENT_NOT_FOUND",
            "AWS_KINESISVIDEO_EXCEPTION_ERROR_CODE=4000", "AWS_KINESISVIDEO_EXCEPTION_MESSAGE=gone")
        .noneMatch(s -> s.startsWith("AWS_KINESISVIDEO_SERVER_TIMESTAMP"));
  }

  @Test
  void epochSeconds_threeDecimals() {
    assertThat(KvsChunkWriter.epochSeconds(1_511_852_108_513L)).isEqualTo("1511852108.513");
    assertThat(KvsChunkWriter.epochSeconds(5)).isEqualTo("0.005");
    assertThat(KvsChunkWriter.epochSeconds(-1500)).isEqualTo("-1.500");
  }

  @Test
  void ebmlWriter_sizes_shortestVarintNeverAllOnes() {
    assertThat(EbmlWriter.sizeLength(0)).isEqualTo(1);
    assertThat(EbmlWriter.sizeLength(126)).isEqualTo(1);
    assertThat(EbmlWriter.sizeLength(127)).isEqualTo(2);
    assertThat(EbmlWriter.sizeLength(16_382)).isEqualTo(2);
    assertThat(EbmlWriter.sizeLength(16_383)).isEqualTo(3);
    assertThat(EbmlWriter.idLength(0xA3)).isEqualTo(1);
    assertThat(EbmlWriter.idLength(0x4282)).isEqualTo(2);
    assertThat(EbmlWriter.idLength(0x2AD7B1)).isEqualTo(3);
    assertThat(EbmlWriter.idLength(0x1A45DFA3)).isEqualTo(4);
    ByteBuffer out = ByteBuffer.allocate(2);
    EbmlWriter.putSize(out, 127);
    assertThat(out.array()).containsExactly(0x40, 0x7F);
  }
}
