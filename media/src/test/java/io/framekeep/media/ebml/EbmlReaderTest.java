package io.framekeep.media.ebml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.media.MediaFormatException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EbmlReaderTest {
  private static final int TOP = 0x1A45DFA3;
  private static final int GROUP = 0x4D80;
  private static final int UINT = 0x81;
  private static final int SINT = 0x82;
  private static final int FLOAT = 0x83;
  private static final int TEXT = 0x84;
  private static final int BIN = 0x85;
  private static final int OPAQUE = 0x86;

  /** TOP (level 0) holds GROUPs (level 1) holding leaves. */
  private static final EbmlSchema SCHEMA = new EbmlSchema() {
    @Override
    public EbmlType type(int id) {
      switch (id) {
        case TOP:
        case GROUP:
          return EbmlType.MASTER;
        case UINT:
          return EbmlType.UNSIGNED;
        case SINT:
          return EbmlType.SIGNED;
        case FLOAT:
          return EbmlType.FLOAT;
        case TEXT:
          return EbmlType.STRING;
        case BIN:
          return EbmlType.BINARY;
        default:
          return EbmlType.OPAQUE;
      }
    }

    @Override
    public boolean endsUnknownSize(int parentId, int childId) {
      return level(childId) >= 0 && level(childId) <= level(parentId);
    }

    private int level(int id) {
      return id == TOP ? 0 : id == GROUP ? 1 : -1;
    }
  };

  @Test
  void read_allValueTypes_decodedIdenticallyForEverySplit() throws Exception {
    byte[] doc = element(TOP, concat(
        element(GROUP, concat(
            element(UINT, hex("FFFFFFFFFFFFFFFF")),
            element(SINT, hex("FF7F")),
            element(FLOAT, hex("3FC00000")),
            element(FLOAT, hex("400C000000000000")),
            element(TEXT, "V_MPEG4/ISO/AVC\0\0".getBytes(StandardCharsets.UTF_8)),
            element(BIN, hex("010203")),
            element(OPAQUE, hex("AABBCCDD")),
            element(UINT, new byte[0]))),
        // A 3-byte ID and an 8-byte size varint holding a small value.
        element(0x2AD7B1, hex("0100000000000002"), hex("0102"))));
    String expected = String.join("\n",
        "START 1a45dfa3 level=0 size=78 header=5",
        "START 4d80 level=1 size=62 header=3",
        "START 81 level=2 size=8 header=2", "UINT -1", "END 81",
        "START 82 level=2 size=2 header=2", "INT -129", "END 82",
        "START 83 level=2 size=4 header=2", "FLOAT 1.5", "END 83",
        "START 83 level=2 size=8 header=2", "FLOAT 3.5", "END 83",
        "START 84 level=2 size=17 header=2", "STRING V_MPEG4/ISO/AVC", "END 84",
        "START 85 level=2 size=3 header=2", "BINARY 010203", "END 85",
        "START 86 level=2 size=4 header=2", "END 86 payload=aabbccdd",
        "START 81 level=2 size=0 header=2", "UINT 0", "END 81",
        "END 4d80 at=70",
        "START 2ad7b1 level=1 size=2 header=11", "END 2ad7b1 payload=0102",
        "END 1a45dfa3 at=83", "EOF");
    assertEveryWay(doc, expected);
  }

  @Test
  void read_unknownSizeMasters_endedBySiblingByEnclosingEndAndEndOfInput() throws Exception {
    byte[] unknown = hex("01FFFFFFFFFFFFFF");
    byte[] doc = concat(
        element(TOP, element(GROUP, unknown, element(UINT, hex("07")))),
        element(TOP, unknown, concat(
            element(GROUP, unknown, element(UINT, hex("01"))),
            element(GROUP, unknown, element(UINT, hex("02"))))));
    String expected = String.join("\n",
        "START 1a45dfa3 level=0 size=13 header=5",
        "START 4d80 level=1 size=-1 header=10", "START 81 level=2 size=1 header=2", "UINT 7",
        "END 81", "END 4d80 at=18", "END 1a45dfa3 at=18",
        "START 1a45dfa3 level=0 size=-1 header=12",
        "START 4d80 level=1 size=-1 header=10", "START 81 level=2 size=1 header=2", "UINT 1",
        "END 81", "END 4d80 at=43",
        "START 4d80 level=1 size=-1 header=10", "START 81 level=2 size=1 header=2", "UINT 2",
        "END 81", "END 4d80 at=56", "END 1a45dfa3 at=56", "EOF");
    assertEveryWay(doc, expected);
  }

  @Test
  void read_headerBytes_areTheBytesAsSent() throws Exception {
    EbmlReader reader = new EbmlReader(SCHEMA);
    ByteBuffer in = ByteBuffer.wrap(concat(hex("1A45DFA3"), hex("4000"), hex("00")));
    ByteBuffer first = ByteBuffer.wrap(hex("1A45"));
    assertThat(reader.read(first)).isEqualTo(EbmlReader.Event.NEED_MORE_DATA);
    in.position(2);
    assertThat(reader.read(in)).isEqualTo(EbmlReader.Event.ELEMENT_START);
    ByteBuffer header = reader.headerBytes();
    byte[] b = new byte[header.remaining()];
    header.get(b);
    assertThat(b).isEqualTo(hex("1A45DFA34000"));
    assertThat(reader.elementStartPosition()).isZero();
    assertThat(reader.position()).isEqualTo(6);
  }

  @Test
  void read_invalidIdOrSize_malformed() {
    assertMalformed(hex("00"));
    assertMalformed(hex("0801020304"));
    assertMalformed(concat(hex("81"), hex("00")));
  }

  @Test
  void read_valueSizesBeyondTheirBounds_malformedBeforeAllocation() {
    assertMalformed(element(UINT, new byte[9]));
    assertMalformed(element(FLOAT, new byte[3]));
    assertMalformed(concat(hex("84"), hex("1000FFFF")));
    // A binary element declaring 2^48 bytes: refused at its header, nothing allocated.
    assertMalformed(concat(hex("85"), hex("0101000000000000")));
    assertThat(EbmlReader.MAX_BINARY_BYTES).isEqualTo(1 << 20);
  }

  @Test
  void read_unknownSizeLeaf_malformed() {
    assertMalformed(concat(hex("86"), hex("FF")));
  }

  @Test
  void read_childOverrunningParent_malformed() {
    assertMalformed(element(TOP, hex("83"), concat(element(OPAQUE, hex("85"), new byte[5]))));
  }

  @Test
  void read_nestingDeeperThanLimit_malformed() {
    byte[] doc = element(UINT, hex("01"));
    for (int i = 0; i <= EbmlReader.MAX_DEPTH; i++) {
      doc = element(GROUP, doc);
    }
    assertMalformed(doc);
  }

  @Test
  void read_inputEndingInsideHeaderValuePayloadOrKnownMaster_malformed() {
    assertMalformed(hex("1A45"));
    assertMalformed(hex("8140"));
    assertMalformed(concat(hex("8184"), hex("0102")));
    assertMalformed(concat(hex("8685"), hex("0102")));
    assertMalformed(concat(hex("1A45DFA385"), hex("810101")));
  }

  private static void assertMalformed(byte[] doc) {
    for (List<Integer> splits : splitModes(doc.length)) {
      assertThatThrownBy(() -> events(doc, splits))
          .isInstanceOf(MediaFormatException.class)
          .satisfies(e -> assertThat(((MediaFormatException) e).ackErrorId()).isEqualTo(4006));
    }
  }

  private static void assertEveryWay(byte[] doc, String expected) throws MediaFormatException {
    for (List<Integer> splits : splitModes(doc.length)) {
      assertThat(events(doc, splits)).isEqualTo(expected);
    }
  }

  private static List<List<Integer>> splitModes(int length) {
    List<List<Integer>> modes = new ArrayList<>();
    modes.add(List.of(length));
    List<Integer> ones = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      ones.add(1);
    }
    modes.add(ones);
    for (long seed = 1; seed <= 5; seed++) {
      Random random = new Random(seed);
      List<Integer> splits = new ArrayList<>();
      int left = length;
      while (left > 0) {
        int n = Math.min(left, random.nextInt(6));
        splits.add(n);
        left -= n;
      }
      modes.add(splits);
    }
    return modes;
  }

  /** Reads {@code doc} fed in the given pieces, then ends the input, and logs every event. */
  private static String events(byte[] doc, List<Integer> splits) throws MediaFormatException {
    EbmlReader reader = new EbmlReader(SCHEMA);
    List<String> log = new ArrayList<>();
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    int offset = 0;
    for (int i = 0; i <= splits.size(); i++) {
      ByteBuffer chunk;
      if (i == splits.size()) {
        reader.endOfInput();
        chunk = ByteBuffer.allocate(0);
      } else {
        chunk = ByteBuffer.wrap(doc, offset, splits.get(i));
        offset += splits.get(i);
      }
      while (true) {
        int before = chunk.position();
        EbmlReader.Event event = reader.read(chunk);
        if (event == EbmlReader.Event.NEED_MORE_DATA) {
          break;
        }
        if (event == EbmlReader.Event.END_OF_INPUT) {
          log.add("EOF");
          break;
        }
        log(reader, event, log, payload, doc, chunk, before);
      }
    }
    return String.join("\n", log);
  }

  private static void log(EbmlReader reader, EbmlReader.Event event, List<String> log,
      ByteArrayOutputStream payload, byte[] doc, ByteBuffer chunk, int before) {
    String id = Integer.toHexString(reader.elementId());
    switch (event) {
      case ELEMENT_START:
        log.add("START " + id + " level=" + reader.level() + " size=" + reader.dataSize()
            + " header=" + reader.headerSize());
        break;
      case PAYLOAD:
        payload.write(doc, before, chunk.position() - before);
        break;
      case VALUE:
        log.add(value(reader));
        break;
      case ELEMENT_END:
        String tail = "";
        if (reader.elementType() == EbmlType.OPAQUE) {
          tail = " payload=" + HexFormat.of().formatHex(payload.toByteArray());
          payload.reset();
        } else if (reader.elementType() == EbmlType.MASTER) {
          tail = " at=" + reader.elementEndPosition();
        }
        log.add("END " + id + tail);
        break;
      default:
        break;
    }
  }

  private static String value(EbmlReader reader) {
    switch (reader.elementType()) {
      case UNSIGNED:
        return "UINT " + reader.unsignedValue();
      case SIGNED:
        return "INT " + reader.signedValue();
      case FLOAT:
        return "FLOAT " + reader.floatValue();
      case STRING:
        return "STRING " + reader.stringValue();
      default:
        return "BINARY " + HexFormat.of().formatHex(reader.binaryValue());
    }
  }

  private static byte[] element(int id, byte[] size, byte[] payload) {
    String idHex = Integer.toHexString(id);
    return concat(hex(idHex.length() % 2 == 1 ? "0" + idHex : idHex), size, payload);
  }

  /** An element with the shortest size varint (payloads here are under 127 bytes). */
  private static byte[] element(int id, byte[] payload) {
    assertThat(payload.length).isLessThan(127);
    return element(id, new byte[] {(byte) (0x80 | payload.length)}, payload);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }
}
