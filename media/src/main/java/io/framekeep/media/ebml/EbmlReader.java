package io.framekeep.media.ebml;

import io.framekeep.media.MediaFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A resumable pull reader of EBML (RFC 8794) element streams.
 *
 * <p>The caller hands each arriving piece of the stream to {@link #read(ByteBuffer)}, which
 * consumes bytes from the buffer's position and returns after at most one {@link Event}. When the
 * buffer runs dry mid-element the reader keeps what it needs (at most one element header and one
 * bounded value) and resumes on the next buffer, so the events are the same whatever way the
 * bytes are split. For every element the caller sees {@link Event#ELEMENT_START}, then for a
 * value type one {@link Event#VALUE}, for an opaque type zero or more {@link Event#PAYLOAD}, for a
 * master type the events of its children, and finally {@link Event#ELEMENT_END}.
 *
 * <p>Byte accounting: a call made while {@link #readingPayload()} is true consumes only payload
 * bytes of the current leaf element; any other call consumes only element header bytes (ID and
 * size), which are available afterwards from {@link #headerBytes()} at {@link Event#ELEMENT_START}.
 *
 * <p>Unknown sizes: a master element with the all-ones size ends when the {@link EbmlSchema} says
 * a following ID belongs to an upper level, when an enclosing known-size element ends, or at end
 * of input ({@link #endOfInput()}). Its end is reported before the start of the element that ended
 * it.
 *
 * <p>Failure behaviour: bad bytes raise {@link MediaFormatException} (malformed); no size read
 * from the stream sizes an allocation unless it is below one of the limits below. After an
 * exception the reader must be discarded. Not thread-safe.
 */
public final class EbmlReader {
  /** Element IDs are 1 to 4 bytes long (EBMLMaxIDLength 4, the Matroska value). */
  public static final int MAX_ID_BYTES = 4;
  /** Element data sizes are 1 to 8 bytes long (EBMLMaxSizeLength 8, the Matroska value). */
  public static final int MAX_SIZE_BYTES = 8;
  /** The longest element header: a 4-byte ID plus an 8-byte size. */
  public static final int MAX_HEADER_BYTES = MAX_ID_BYTES + MAX_SIZE_BYTES;
  /**
   * Deepest nesting of open master elements. Matroska's deepest path used at ingest is
   * Segment/Tracks/TrackEntry/Video/Colour/MasteringMetadata (6); 16 leaves room for tags.
   */
  public static final int MAX_DEPTH = 16;
  /**
   * Largest string value that is decoded. The strings read (DocType, CodecID) are at most 32
   * characters per the KVS producer SDK; 4 KiB tolerates verbose producers without letting a
   * forged size allocate much.
   */
  public static final int MAX_STRING_BYTES = 4096;
  /**
   * Largest binary value that is kept as an array: the KVS producer SDK caps CodecPrivate at
   * 1 MiB, and larger binary elements (blocks) are typed opaque and streamed instead.
   */
  public static final int MAX_BINARY_BYTES = 1 << 20;
  /** {@link #dataSize()} of an element written with the all-ones (unknown) size. */
  public static final long UNKNOWN_SIZE = -1;

  /** What one {@link #read(ByteBuffer)} call produced. */
  public enum Event {
    /** The buffer is exhausted; call again with more bytes (or after {@link #endOfInput()}). */
    NEED_MORE_DATA,
    /** An element header was read: see {@link #elementId()}, {@link #dataSize()}. */
    ELEMENT_START,
    /** A value element was read whole: see the typed value accessors. */
    VALUE,
    /** Some payload bytes of an opaque element were consumed: the bytes the call consumed. */
    PAYLOAD,
    /** The element last started at this level ended: see {@link #elementId()}. */
    ELEMENT_END,
    /** After {@link #endOfInput()}: every element is closed and nothing remains. */
    END_OF_INPUT
  }

  private enum State {
    /** Between elements, or inside an element ID. */
    ID,
    /** An ID was read; open unknown-size elements it ends must be closed first. */
    ID_ENDS_PARENTS,
    /** Inside an element's size varint. */
    SIZE,
    /** Inside the payload of a value element. */
    VALUE,
    /** Inside the payload of an opaque element. */
    OPAQUE,
    /** A leaf element's payload is complete; its end is the next event. */
    LEAF_END,
    /** END_OF_INPUT was reported. */
    DONE
  }

  private final EbmlSchema schema;
  private State state = State.ID;
  private long position;
  private boolean endOfInput;

  private final int[] stackIds = new int[MAX_DEPTH];
  private final long[] stackStarts = new long[MAX_DEPTH];
  /** Absolute end position of each open master, or UNKNOWN_SIZE. */
  private final long[] stackEnds = new long[MAX_DEPTH];
  private int depth;

  /** Header bytes of the element being read, then of the last started element. */
  private final byte[] header = new byte[MAX_HEADER_BYTES];
  /** Header bytes read so far of the element being read; 0 between elements. */
  private int headerLength;
  /** Header length of the last started element. */
  private int lastHeaderLength;
  /** ID of the element whose header is being read. */
  private int readingId;
  /** Absolute offset of that element's first byte. */
  private long readingStart;
  private int idLength;
  private int sizeLength;

  private int elementId;
  private EbmlType elementType;
  private long elementStart;
  private long elementEnd;
  private long dataSize;
  private int level;
  private int parentId;
  private long payloadRemaining;

  private final byte[] numberBytes = new byte[8];
  private byte[] valueBytes;
  private int valueFilled;
  private long longValue;
  private double doubleValue;
  private String stringValue;
  private byte[] binaryValue;

  public EbmlReader(EbmlSchema schema) {
    this.schema = schema;
  }

  /** Declares that no more bytes will come; later reads close unknown-size elements. */
  public void endOfInput() {
    endOfInput = true;
  }

  /** Whether the next {@link #read} consumes payload bytes (as opposed to header bytes). */
  public boolean readingPayload() {
    return state == State.VALUE || state == State.OPAQUE;
  }

  /** Whether the reader is between elements, with no partly read header or payload. */
  public boolean atElementBoundary() {
    return state == State.ID && headerLength == 0;
  }

  /**
   * Consumes bytes from {@code buffer} (advancing its position) until one event is produced or the
   * buffer is empty.
   */
  public Event read(ByteBuffer buffer) throws MediaFormatException {
    switch (state) {
      case LEAF_END:
        state = State.ID;
        return Event.ELEMENT_END;
      case VALUE:
        return readValue(buffer);
      case OPAQUE:
        return readOpaque(buffer);
      case ID_ENDS_PARENTS:
        return closeEndedParentsOrContinue(buffer);
      case SIZE:
        return readSize(buffer);
      case DONE:
        return Event.END_OF_INPUT;
      default:
        return readId(buffer);
    }
  }

  private Event readId(ByteBuffer buffer) throws MediaFormatException {
    if (headerLength == 0) {
      if (closeFinishedMaster()) {
        return Event.ELEMENT_END;
      }
      if (!buffer.hasRemaining()) {
        return endOfInput ? closeAtEndOfInput() : Event.NEED_MORE_DATA;
      }
      readingStart = position;
    }
    while (buffer.hasRemaining()) {
      int b = takeHeaderByte(buffer);
      if (headerLength == 1) {
        idLength = varintLength(b);
        if (idLength > MAX_ID_BYTES) {
          throw MediaFormatException.malformed("invalid EBML element ID byte 0x"
              + Integer.toHexString(b) + " at offset " + (position - 1));
        }
      }
      if (headerLength == idLength) {
        readingId = (int) readBigEndian(header, 0, idLength);
        state = State.ID_ENDS_PARENTS;
        return closeEndedParentsOrContinue(buffer);
      }
    }
    return needMore("element ID");
  }

  private Event closeEndedParentsOrContinue(ByteBuffer buffer) throws MediaFormatException {
    if (depth > 0 && stackEnds[depth - 1] == UNKNOWN_SIZE
        && schema.endsUnknownSize(stackIds[depth - 1], readingId)) {
      popMaster(readingStart);
      return Event.ELEMENT_END;
    }
    state = State.SIZE;
    return readSize(buffer);
  }

  private Event readSize(ByteBuffer buffer) throws MediaFormatException {
    while (buffer.hasRemaining()) {
      int b = takeHeaderByte(buffer);
      if (headerLength == idLength + 1) {
        sizeLength = varintLength(b);
        if (sizeLength > MAX_SIZE_BYTES) {
          throw MediaFormatException.malformed("invalid EBML size byte 0x00 at offset " + (position - 1));
        }
      }
      if (headerLength == idLength + sizeLength) {
        return startElement();
      }
    }
    return needMore("element size");
  }

  private Event startElement() throws MediaFormatException {
    long value = readBigEndian(header, idLength, sizeLength);
    long marker = 1L << (7 * sizeLength);
    value &= marker - 1;
    boolean unknown = value == marker - 1;
    long parentEnd = enclosingKnownEnd();
    elementId = readingId;
    elementStart = readingStart;
    elementType = schema.type(elementId);
    dataSize = unknown ? UNKNOWN_SIZE : value;
    level = depth;
    parentId = depth == 0 ? 0 : stackIds[depth - 1];
    if (unknown && elementType != EbmlType.MASTER) {
      throw malformedElement("has the unknown size but is not a master element");
    }
    if (parentEnd != UNKNOWN_SIZE && position > parentEnd) {
      throw malformedElement("header overruns its parent (ends at offset " + parentEnd + ")");
    }
    if (!unknown && parentEnd != UNKNOWN_SIZE && value > parentEnd - position) {
      throw malformedElement("of " + value + " bytes overruns its parent (ends at offset " + parentEnd + ")");
    }
    elementEnd = unknown ? UNKNOWN_SIZE : position + value;
    checkValueSize();
    lastHeaderLength = headerLength;
    headerLength = 0;
    if (elementType == EbmlType.MASTER) {
      if (depth == MAX_DEPTH) {
        throw malformedElement("is nested deeper than " + MAX_DEPTH + " levels");
      }
      stackIds[depth] = elementId;
      stackStarts[depth] = elementStart;
      stackEnds[depth] = elementEnd;
      depth++;
      state = State.ID;
    } else if (elementType == EbmlType.OPAQUE) {
      payloadRemaining = value;
      state = State.OPAQUE;
    } else {
      payloadRemaining = value;
      valueFilled = 0;
      valueBytes = elementType == EbmlType.STRING || elementType == EbmlType.BINARY
          ? new byte[(int) value] // bounded by checkValueSize
          : numberBytes;
      state = State.VALUE;
    }
    return Event.ELEMENT_START;
  }

  private void checkValueSize() throws MediaFormatException {
    long size = dataSize;
    switch (elementType) {
      case UNSIGNED:
      case SIGNED:
        if (size > 8) {
          throw malformedElement("is an integer of " + size + " bytes (at most 8)");
        }
        break;
      case FLOAT:
        if (size != 0 && size != 4 && size != 8) {
          throw malformedElement("is a float of " + size + " bytes (0, 4 or 8)");
        }
        break;
      case STRING:
        if (size > MAX_STRING_BYTES) {
          throw malformedElement("is a string of " + size + " bytes (at most " + MAX_STRING_BYTES + ")");
        }
        break;
      case BINARY:
        if (size > MAX_BINARY_BYTES) {
          throw malformedElement("holds " + size + " bytes (at most " + MAX_BINARY_BYTES + ")");
        }
        break;
      default:
        break;
    }
  }

  private Event readValue(ByteBuffer buffer) throws MediaFormatException {
    int n = (int) Math.min(payloadRemaining, buffer.remaining());
    buffer.get(valueBytes, valueFilled, n);
    valueFilled += n;
    position += n;
    payloadRemaining -= n;
    if (payloadRemaining > 0) {
      return needMore("element value");
    }
    decodeValue();
    state = State.LEAF_END;
    return Event.VALUE;
  }

  private void decodeValue() {
    int size = valueFilled;
    switch (elementType) {
      case UNSIGNED:
        longValue = readBigEndian(valueBytes, 0, size);
        break;
      case SIGNED:
        longValue = size == 0 ? 0 : (readBigEndian(valueBytes, 0, size) << (64 - 8 * size)) >> (64 - 8 * size);
        break;
      case FLOAT:
        long bits = readBigEndian(valueBytes, 0, size);
        doubleValue = size == 0 ? 0 : size == 4 ? Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits);
        break;
      case STRING:
        int end = size;
        while (end > 0 && valueBytes[end - 1] == 0) {
          end--;
        }
        stringValue = new String(valueBytes, 0, end, StandardCharsets.UTF_8);
        break;
      default:
        binaryValue = valueBytes;
        break;
    }
    valueBytes = null;
  }

  private Event readOpaque(ByteBuffer buffer) throws MediaFormatException {
    if (payloadRemaining == 0) {
      state = State.ID;
      return Event.ELEMENT_END;
    }
    int n = (int) Math.min(payloadRemaining, buffer.remaining());
    if (n == 0) {
      return needMore("element payload");
    }
    buffer.position(buffer.position() + n);
    position += n;
    payloadRemaining -= n;
    return Event.PAYLOAD;
  }

  /** Closes the innermost master if the position reached its end (or its enclosing end). */
  private boolean closeFinishedMaster() {
    if (depth == 0) {
      return false;
    }
    long end = stackEnds[depth - 1];
    if (end == UNKNOWN_SIZE) {
      end = enclosingKnownEnd();
    }
    if (end != UNKNOWN_SIZE && position == end) {
      popMaster(position);
      return true;
    }
    return false;
  }

  private Event closeAtEndOfInput() throws MediaFormatException {
    if (depth == 0) {
      state = State.DONE;
      return Event.END_OF_INPUT;
    }
    long knownEnd = enclosingKnownEnd();
    if (knownEnd != UNKNOWN_SIZE) {
      throw MediaFormatException.malformed("input ends at offset " + position
          + " inside an element that ends at offset " + knownEnd);
    }
    popMaster(position);
    return Event.ELEMENT_END;
  }

  private void popMaster(long endPosition) {
    depth--;
    elementId = stackIds[depth];
    elementStart = stackStarts[depth];
    elementEnd = endPosition;
    elementType = EbmlType.MASTER;
    dataSize = stackEnds[depth] == UNKNOWN_SIZE ? UNKNOWN_SIZE : stackEnds[depth] - stackStarts[depth];
    level = depth;
    parentId = depth == 0 ? 0 : stackIds[depth - 1];
  }

  /** The end of the innermost open master with a known size, or UNKNOWN_SIZE. */
  private long enclosingKnownEnd() {
    for (int i = depth - 1; i >= 0; i--) {
      if (stackEnds[i] != UNKNOWN_SIZE) {
        return stackEnds[i];
      }
    }
    return UNKNOWN_SIZE;
  }

  private int takeHeaderByte(ByteBuffer buffer) {
    byte b = buffer.get();
    position++;
    header[headerLength++] = b;
    return b & 0xFF;
  }

  private Event needMore(String where) throws MediaFormatException {
    if (endOfInput) {
      throw MediaFormatException.malformed("input ends at offset " + position + " inside an " + where);
    }
    return Event.NEED_MORE_DATA;
  }

  private MediaFormatException malformedElement(String what) {
    return MediaFormatException.malformed(
        "EBML element 0x" + Integer.toHexString(elementId) + " at offset " + elementStart + " " + what);
  }

  /** Number of bytes of a varint whose first byte is {@code b}: 1 to 8, or 9 for the invalid 0. */
  private static int varintLength(int b) {
    return b == 0 ? 9 : Integer.numberOfLeadingZeros(b) - 23;
  }

  private static long readBigEndian(byte[] bytes, int offset, int length) {
    long value = 0;
    for (int i = 0; i < length; i++) {
      value = (value << 8) | (bytes[offset + i] & 0xFF);
    }
    return value;
  }

  /** Absolute offset of the next byte to be consumed (bytes consumed so far). */
  public long position() {
    return position;
  }

  /** ID of the element of the last START, VALUE, PAYLOAD or END event. */
  public int elementId() {
    return elementId;
  }

  public EbmlType elementType() {
    return elementType;
  }

  /** Payload size in bytes, or {@link #UNKNOWN_SIZE}. */
  public long dataSize() {
    return dataSize;
  }

  /** Absolute offset of the first byte of the element's ID. */
  public long elementStartPosition() {
    return elementStart;
  }

  /** At ELEMENT_END: absolute offset just past the element's last byte. */
  public long elementEndPosition() {
    return elementEnd;
  }

  /** Nesting level of the element: 0 for top-level elements. */
  public int level() {
    return level;
  }

  /** ID of the element's parent master, or 0 at the top level. */
  public int parentId() {
    return parentId;
  }

  /** Number of open master elements. */
  public int depth() {
    return depth;
  }

  /** ID of the open master at nesting level {@code i} (0 = outermost), for {@code i < depth()}. */
  public int openId(int i) {
    return stackIds[i];
  }

  /** Length in bytes of the element header reported by the last ELEMENT_START. */
  public int headerSize() {
    return lastHeaderLength;
  }

  /**
   * At ELEMENT_START: the element header (ID and size) exactly as it appeared in the stream. The
   * view shares the reader's buffer and is valid until the next {@link #read} call.
   */
  public ByteBuffer headerBytes() {
    return ByteBuffer.wrap(header, 0, lastHeaderLength).asReadOnlyBuffer();
  }

  /** At VALUE of an UNSIGNED element: the value's 64 bits (negative if it exceeds Long.MAX_VALUE). */
  public long unsignedValue() {
    return longValue;
  }

  /** At VALUE of a SIGNED element. */
  public long signedValue() {
    return longValue;
  }

  /** At VALUE of a FLOAT element. */
  public double floatValue() {
    return doubleValue;
  }

  /** At VALUE of a STRING element. */
  public String stringValue() {
    return stringValue;
  }

  /** At VALUE of a BINARY element: a fresh array owned by the caller. */
  public byte[] binaryValue() {
    return binaryValue;
  }
}
