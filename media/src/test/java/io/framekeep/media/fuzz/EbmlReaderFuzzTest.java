package io.framekeep.media.fuzz;

import static io.framekeep.media.fuzz.CheckingListener.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.ebml.EbmlReader;
import io.framekeep.media.ebml.EbmlSchema;
import io.framekeep.media.ebml.EbmlType;
import io.framekeep.media.mkv.MatroskaIds;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;

/**
 * Fuzzes the generic {@link EbmlReader} on its own, with a schema that the input chooses.
 *
 * <p>Input: {@link FuzzInput}. Mode bit 0 clear: a Matroska-shaped schema (the ingest masters and
 * value elements, by their public IDs); set: a schema that gives every ID a type and a level from
 * its bits, so that all payload types and unknown-size endings are reached by arbitrary IDs. The
 * body is read whole and in the split style's pieces, then {@link EbmlReader#endOfInput()}.
 *
 * <p>Checked on every call: NEED_MORE_DATA only with an empty buffer; {@code position()} equals
 * the bytes consumed; starts and ends nest and match; values come only for value types; depth
 * stays within {@link EbmlReader#MAX_DEPTH}; END_OF_INPUT only with nothing open, and it repeats.
 * The number of events is bounded by the input length (a reader that stops consuming would loop
 * forever). The whole and split runs must produce the same events (PAYLOAD pieces merged) or the
 * same failure. Any throwable other than {@link MediaFormatException} is a finding.
 */
class EbmlReaderFuzzTest {
  /**
   * A value element's buffer (at most MAX_BINARY_BYTES, 1 MiB) may be allocated before its bytes
   * arrive, once per run; two runs; plus event bookkeeping per input byte.
   */
  private static final AllocationBudget BUDGET = new AllocationBudget("EbmlReader", 3L << 20, 2048);
  /** Each element takes at least 2 header bytes and yields at most 3 events (start, value, end). */
  private static final int EVENTS_PER_INPUT_BYTE = 3;

  @FuzzTest(maxDuration = "20s")
  void read_anyBytesAnySplit_onlyMediaFormatExceptionAndSplitIndependent(byte[] data)
      throws Exception {
    Watchdog.run(data, () -> BUDGET.run(data.length, () -> readWholeAndSplit(data)));
  }

  private static void readWholeAndSplit(byte[] data) {
    FuzzInput input = FuzzInput.of(data);
    EbmlSchema schema = input.flag0() ? BitsSchema.INSTANCE : MatroskaLikeSchema.INSTANCE;
    String whole = run(schema, input.body(), List.of(input.body().length));
    if (input.splitStyle() != FuzzInput.STYLE_WHOLE) {
      String split = run(schema, input.body(), input.pieces());
      check(whole.equals(split),
          "whole-buffer and split runs differ:\n--- whole\n" + whole + "\n--- split\n" + split);
    }
  }

  private static String run(EbmlSchema schema, byte[] body, List<Integer> pieces) {
    Run run = new Run(schema, body.length + pieces.size());
    int offset = 0;
    try {
      for (int length : pieces) {
        ByteBuffer chunk = ByteBuffer.wrap(body, offset, length);
        run.readAll(chunk);
        offset += length;
      }
      run.reader.endOfInput();
      run.readAll(ByteBuffer.allocate(0));
      check(run.ended, "reads stopped before END_OF_INPUT");
      EbmlReader.Event again = run.reader.read(ByteBuffer.allocate(0));
      check(again == EbmlReader.Event.END_OF_INPUT, "read after END_OF_INPUT gave " + again);
    } catch (MediaFormatException e) {
      run.flushPayload();
      run.trace.append("failed ").append(e.getMessage());
    }
    return run.trace.toString();
  }

  /** One pass over the body, checking each event against a shadow element stack. */
  private static final class Run {
    final EbmlReader reader;
    final EbmlSchema schema;
    final StringBuilder trace = new StringBuilder();
    final Deque<Integer> open = new ArrayDeque<>();
    final long maxEvents;
    long events;
    long consumed;
    long payloadBytes;
    boolean ended;
    EbmlType leafType;

    Run(EbmlSchema schema, long inputBytesAndPieces) {
      this.schema = schema;
      this.reader = new EbmlReader(schema);
      this.maxEvents = EVENTS_PER_INPUT_BYTE * inputBytesAndPieces + 4;
    }

    void readAll(ByteBuffer chunk) throws MediaFormatException {
      while (!ended) {
        int before = chunk.position();
        EbmlReader.Event event = reader.read(chunk);
        consumed += chunk.position() - before;
        check(reader.position() == consumed, "position() " + reader.position() + " but "
            + consumed + " bytes were consumed");
        check(reader.depth() <= EbmlReader.MAX_DEPTH, "depth beyond MAX_DEPTH");
        check(++events <= maxEvents, "more than " + maxEvents + " events: the reader is not"
            + " making progress");
        if (event == EbmlReader.Event.NEED_MORE_DATA) {
          check(!chunk.hasRemaining(), "NEED_MORE_DATA with bytes left in the buffer");
          return;
        }
        onEvent(event);
      }
    }

    private void onEvent(EbmlReader.Event event) {
      if (event == EbmlReader.Event.PAYLOAD) {
        check(leafType == EbmlType.OPAQUE, "PAYLOAD outside an opaque element");
        payloadBytes += 1;
        return;
      }
      flushPayload();
      switch (event) {
        case ELEMENT_START:
          onStart();
          break;
        case VALUE:
          check(leafType != null && leafType != EbmlType.OPAQUE, "VALUE outside a value element");
          trace.append(" value ").append(value()).append('\n');
          break;
        case ELEMENT_END:
          check(!open.isEmpty(), "ELEMENT_END with nothing open");
          int id = open.pop();
          check(id == reader.elementId(), "ELEMENT_END of 0x" + Integer.toHexString(reader.elementId())
              + " but 0x" + Integer.toHexString(id) + " is open");
          check(reader.level() == open.size(), "level() of an ended element");
          leafType = null;
          trace.append("end ").append(Integer.toHexString(id)).append(" at ")
              .append(reader.elementEndPosition()).append('\n');
          break;
        default:
          check(open.isEmpty() && reader.depth() == 0, "END_OF_INPUT with elements open");
          ended = true;
          trace.append("end of input\n");
          break;
      }
    }

    private void onStart() {
      check(leafType == null, "ELEMENT_START inside a leaf element");
      int id = reader.elementId();
      int headerSize = reader.headerSize();
      check(headerSize >= 2 && headerSize <= EbmlReader.MAX_HEADER_BYTES, "header size " + headerSize);
      check(reader.headerBytes().remaining() == headerSize, "headerBytes() length");
      check(reader.elementStartPosition() == consumed - headerSize, "elementStartPosition()");
      check(reader.level() == open.size(), "level() " + reader.level() + " with " + open.size()
          + " open");
      check(reader.elementType() == schema.type(id), "type differs from the schema");
      open.push(id);
      if (reader.elementType() != EbmlType.MASTER) {
        leafType = reader.elementType();
      }
      byte[] header = new byte[headerSize];
      reader.headerBytes().get(header);
      trace.append("start ").append(Integer.toHexString(id)).append(' ')
          .append(reader.elementType()).append(" size ").append(reader.dataSize()).append(" at ")
          .append(reader.elementStartPosition()).append(" header ")
          .append(HexFormat.of().formatHex(header)).append('\n');
    }

    private String value() {
      switch (leafType) {
        case UNSIGNED:
          return Long.toUnsignedString(reader.unsignedValue());
        case SIGNED:
          return Long.toString(reader.signedValue());
        case FLOAT:
          return Double.toString(reader.floatValue());
        case STRING:
          return reader.stringValue();
        default:
          return HexFormat.of().formatHex(reader.binaryValue());
      }
    }

    /** PAYLOAD granularity depends on the split, so only the element's total is traced. */
    void flushPayload() {
      if (payloadBytes > 0) {
        trace.append(" payload\n");
        payloadBytes = 0;
      }
    }
  }

  /** The Matroska elements the ingest path reads, typed as {@code MatroskaSchema} types them. */
  private static final class MatroskaLikeSchema implements EbmlSchema {
    static final MatroskaLikeSchema INSTANCE = new MatroskaLikeSchema();

    @Override
    public EbmlType type(int id) {
      switch (id) {
        case MatroskaIds.ID_EBML:
        case MatroskaIds.ID_SEGMENT:
        case MatroskaIds.ID_INFO:
        case MatroskaIds.ID_TRACKS:
        case MatroskaIds.ID_TRACK_ENTRY:
        case MatroskaIds.ID_VIDEO:
        case MatroskaIds.ID_AUDIO:
        case MatroskaIds.ID_CLUSTER:
        case MatroskaIds.ID_BLOCK_GROUP:
          return EbmlType.MASTER;
        case MatroskaIds.ID_TIMECODE_SCALE:
        case MatroskaIds.ID_TRACK_NUMBER:
        case MatroskaIds.ID_TIMECODE:
        case MatroskaIds.ID_BLOCK_DURATION:
          return EbmlType.UNSIGNED;
        case MatroskaIds.ID_REFERENCE_BLOCK:
          return EbmlType.SIGNED;
        case MatroskaIds.ID_SAMPLING_FREQUENCY:
          return EbmlType.FLOAT;
        case MatroskaIds.ID_DOC_TYPE:
        case MatroskaIds.ID_CODEC_ID:
          return EbmlType.STRING;
        case MatroskaIds.ID_CODEC_PRIVATE:
          return EbmlType.BINARY;
        default:
          return EbmlType.OPAQUE;
      }
    }

    @Override
    public boolean endsUnknownSize(int parentId, int childId) {
      int childLevel = level(childId);
      return childLevel >= 0 && childLevel <= level(parentId);
    }

    private static int level(int id) {
      switch (id) {
        case MatroskaIds.ID_EBML:
        case MatroskaIds.ID_SEGMENT:
          return 0;
        case MatroskaIds.ID_INFO:
        case MatroskaIds.ID_TRACKS:
        case MatroskaIds.ID_CLUSTER:
        case MatroskaIds.ID_CUES:
          return 1;
        case MatroskaIds.ID_TRACK_ENTRY:
        case MatroskaIds.ID_BLOCK_GROUP:
          return 2;
        default:
          return -1;
      }
    }
  }

  /**
   * Type from the ID's low 3 bits (7 and 0 both MASTER, so masters are common); level from bits 3
   * and 4, or none when bit 5 is set. Arbitrary IDs thus exercise every branch of the reader.
   */
  private static final class BitsSchema implements EbmlSchema {
    static final BitsSchema INSTANCE = new BitsSchema();
    private static final EbmlType[] TYPES = {EbmlType.MASTER, EbmlType.UNSIGNED, EbmlType.SIGNED,
        EbmlType.FLOAT, EbmlType.STRING, EbmlType.BINARY, EbmlType.OPAQUE, EbmlType.MASTER};

    @Override
    public EbmlType type(int id) {
      return TYPES[id & 7];
    }

    @Override
    public boolean endsUnknownSize(int parentId, int childId) {
      int childLevel = level(childId);
      return childLevel >= 0 && childLevel <= level(parentId);
    }

    private static int level(int id) {
      return (id & 0x20) != 0 ? -1 : (id >> 3) & 3;
    }
  }
}
