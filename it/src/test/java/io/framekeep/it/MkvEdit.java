package io.framekeep.it;

import static io.framekeep.media.mkv.MatroskaIds.ID_ATTACHMENTS;
import static io.framekeep.media.mkv.MatroskaIds.ID_BLOCK_GROUP;
import static io.framekeep.media.mkv.MatroskaIds.ID_CHAPTERS;
import static io.framekeep.media.mkv.MatroskaIds.ID_CLUSTER;
import static io.framekeep.media.mkv.MatroskaIds.ID_CODEC_ID;
import static io.framekeep.media.mkv.MatroskaIds.ID_CODEC_PRIVATE;
import static io.framekeep.media.mkv.MatroskaIds.ID_CUES;
import static io.framekeep.media.mkv.MatroskaIds.ID_EBML;
import static io.framekeep.media.mkv.MatroskaIds.ID_INFO;
import static io.framekeep.media.mkv.MatroskaIds.ID_SEEK_HEAD;
import static io.framekeep.media.mkv.MatroskaIds.ID_SEGMENT;
import static io.framekeep.media.mkv.MatroskaIds.ID_TAGS;
import static io.framekeep.media.mkv.MatroskaIds.ID_TRACKS;
import static io.framekeep.media.mkv.MatroskaIds.ID_TRACK_ENTRY;
import static io.framekeep.media.mkv.MatroskaIds.ID_TRACK_NUMBER;

import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.ebml.EbmlReader;
import io.framekeep.media.ebml.EbmlSchema;
import io.framekeep.media.ebml.EbmlType;
import io.framekeep.media.mkv.IngestLimits;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.MkvIngestParser;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Makes variants of a Matroska file for conformance tests: a track's CodecID or CodecPrivate
 * replaced or removed (element sizes of every enclosing master recomputed), or frames rewritten in
 * place without changing their size.
 *
 * <p>Elements are located with the media module's {@link EbmlReader} (Segment, Tracks, TrackEntry
 * and Cluster are descended into; everything else is copied byte for byte), frames with {@link
 * MkvIngestParser}. A changed element gets a new size field of its old length when the new size
 * fits, else an 8-byte one; unknown (all-ones) sizes are kept as they are. Offsets held elsewhere
 * in the file (SeekHead, Cues) are not updated: nothing the server reads uses them.
 *
 * <p>An instance is an immutable parse of one file; every edit returns new bytes. Failures are
 * {@link AssertionError}s: the input is test media that must parse.
 */
final class MkvEdit {
  /** One frame of the file: its track, whether it is a key frame, and where its bytes lie. */
  record Frame(int clusterIndex, int trackNumber, boolean keyFrame, int offset, int size) {}

  /** An element as found in the file; {@code children} is null for elements not descended into. */
  private record Element(int id, int start, int headerSize, long dataSize, int end,
      List<Element> children) {}

  /** Only these are descended into; their levels also end unknown-size parents. */
  private static final EbmlSchema SCHEMA = new EbmlSchema() {
    @Override
    public EbmlType type(int id) {
      return id == ID_SEGMENT || id == ID_TRACKS || id == ID_TRACK_ENTRY || id == ID_CLUSTER
          ? EbmlType.MASTER : EbmlType.OPAQUE;
    }

    @Override
    public boolean endsUnknownSize(int parentId, int childId) {
      int childLevel = level(childId);
      return childLevel >= 0 && childLevel <= level(parentId);
    }
  };

  private final byte[] bytes;
  private final List<Element> topLevel;
  private final MkvHeader header;
  private final List<Frame> frames;

  private MkvEdit(byte[] bytes) {
    this.bytes = bytes.clone();
    this.topLevel = elements(this.bytes);
    List<FrameTable> tables = new ArrayList<>();
    MkvHeader[] parsedHeader = new MkvHeader[1];
    MkvIngestParser parser = new MkvIngestParser(new MkvIngestParser.Listener() {
      @Override
      public void onHeader(MkvHeader h) {
        parsedHeader[0] = h;
      }

      @Override
      public void onFragmentStart(long clusterTimecodeTicks) {}

      @Override
      public void onFragmentBytes(ByteBuffer b) {}

      @Override
      public void onFragmentEnd(FrameTable table, long fragmentSizeBytes) {
        tables.add(table);
      }
    }, IngestLimits.kvsDefaults());
    try {
      parser.feed(ByteBuffer.wrap(this.bytes));
      parser.finish();
    } catch (MediaFormatException e) {
      throw new AssertionError("test media does not parse", e);
    }
    this.header = parsedHeader[0];
    List<Element> clusters = segment().children().stream().filter(e -> e.id() == ID_CLUSTER)
        .toList();
    if (clusters.size() != tables.size()) {
      throw new AssertionError(clusters.size() + " Clusters but " + tables.size() + " fragments");
    }
    List<Frame> all = new ArrayList<>();
    for (int c = 0; c < clusters.size(); c++) {
      FrameTable t = tables.get(c);
      for (int i = 0; i < t.size(); i++) {
        all.add(new Frame(c, t.trackNumber(i), t.isKeyFrame(i),
            clusters.get(c).start() + t.offset(i), t.frameSize(i)));
      }
    }
    this.frames = List.copyOf(all);
  }

  static MkvEdit of(byte[] mkv) {
    return new MkvEdit(mkv);
  }

  /** The tracks, codec IDs and codec private data as the server's parser reads them. */
  MkvHeader header() {
    return header;
  }

  /** Every frame in file order. */
  List<Frame> frames() {
    return frames;
  }

  /** Where each Cluster element starts, in file order. */
  List<Integer> clusterStarts() {
    return segment().children().stream().filter(e -> e.id() == ID_CLUSTER).map(Element::start)
        .toList();
  }

  /**
   * The bytes before the first Cluster (EBML header, Segment head, Info, Tracks): what a producer
   * sends at the start of every PutMedia before the clusters it continues with.
   */
  byte[] head() {
    return Arrays.copyOfRange(bytes, 0, clusterElements().get(0).start());
  }

  /** Each Cluster element's bytes, in file order. */
  List<byte[]> clusterBytes() {
    return clusterElements().stream()
        .map(c -> Arrays.copyOfRange(bytes, c.start(), c.end())).toList();
  }

  private List<Element> clusterElements() {
    List<Element> clusters = segment().children().stream()
        .filter(e -> e.id() == ID_CLUSTER).toList();
    if (clusters.isEmpty()) {
      throw new AssertionError("no Cluster");
    }
    return clusters;
  }

  int clusterCount() {
    return frames.isEmpty() ? 0 : frames.get(frames.size() - 1).clusterIndex() + 1;
  }

  /** The file with the CodecID of track {@code trackNumber} set to {@code codecId}. */
  byte[] withCodecId(long trackNumber, String codecId) {
    Element codec = child(trackEntry(trackNumber), ID_CODEC_ID);
    return rewrite(codec, codecId.getBytes(StandardCharsets.US_ASCII));
  }

  /** The file with the CodecPrivate of track {@code trackNumber} replaced by {@code codecPrivate}. */
  byte[] withCodecPrivate(long trackNumber, byte[] codecPrivate) {
    return rewrite(child(trackEntry(trackNumber), ID_CODEC_PRIVATE), codecPrivate);
  }

  /** The file without the CodecPrivate element of track {@code trackNumber}. */
  byte[] withoutCodecPrivate(long trackNumber) {
    return rewrite(child(trackEntry(trackNumber), ID_CODEC_PRIVATE), null);
  }

  /**
   * The file with each selected frame passed to {@code edit} as a buffer over exactly its bytes
   * (position 0, limit = size), to be changed in place.
   */
  byte[] withFramesEdited(List<Frame> selected, Consumer<ByteBuffer> edit) {
    byte[] out = bytes.clone();
    for (Frame f : selected) {
      edit.accept(ByteBuffer.wrap(out, f.offset(), f.size()).slice());
    }
    return out;
  }

  private Element segment() {
    return topLevel.stream().filter(e -> e.id() == ID_SEGMENT).findFirst()
        .orElseThrow(() -> new AssertionError("no Segment"));
  }

  private Element trackEntry(long trackNumber) {
    Element tracks = child(segment(), ID_TRACKS);
    for (Element entry : tracks.children()) {
      if (entry.id() == ID_TRACK_ENTRY && unsigned(child(entry, ID_TRACK_NUMBER)) == trackNumber) {
        return entry;
      }
    }
    throw new AssertionError("no TrackEntry with TrackNumber " + trackNumber);
  }

  private static Element child(Element parent, int id) {
    return parent.children().stream().filter(e -> e.id() == id).findFirst()
        .orElseThrow(() -> new AssertionError("no element 0x" + Integer.toHexString(id)
            + " in 0x" + Integer.toHexString(parent.id())));
  }

  private long unsigned(Element e) {
    long value = 0;
    for (int i = e.start() + e.headerSize(); i < e.end(); i++) {
      value = (value << 8) | (bytes[i] & 0xFF);
    }
    return value;
  }

  /** The whole file with {@code target}'s payload replaced, or the element dropped when null. */
  private byte[] rewrite(Element target, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 64);
    int covered = 0;
    for (Element e : topLevel) {
      out.write(bytes, covered, e.start() - covered);
      out.writeBytes(serialize(e, target, payload));
      covered = e.end();
    }
    out.write(bytes, covered, bytes.length - covered);
    return out.toByteArray();
  }

  private byte[] serialize(Element e, Element target, byte[] replacement) {
    byte[] payload;
    if (e == target) {
      if (replacement == null) {
        return new byte[0];
      }
      payload = replacement;
    } else if (e.children() == null || !contains(e, target)) {
      return Arrays.copyOfRange(bytes, e.start(), e.end());
    } else {
      ByteArrayOutputStream children = new ByteArrayOutputStream();
      int covered = e.start() + e.headerSize();
      for (Element c : e.children()) {
        children.write(bytes, covered, c.start() - covered);
        children.writeBytes(serialize(c, target, replacement));
        covered = c.end();
      }
      children.write(bytes, covered, e.end() - covered);
      payload = children.toByteArray();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 12);
    int idLength = idLength(bytes[e.start()]);
    out.write(bytes, e.start(), idLength);
    if (e.dataSize() == EbmlReader.UNKNOWN_SIZE) {
      out.write(bytes, e.start() + idLength, e.headerSize() - idLength);
    } else {
      out.writeBytes(sizeField(payload.length, e.headerSize() - idLength));
    }
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static boolean contains(Element e, Element target) {
    return target.start() >= e.start() && target.end() <= e.end() && e != target;
  }

  /** An EBML data size of {@code preferredLength} bytes if {@code size} fits, else of 8 bytes. */
  private static byte[] sizeField(long size, int preferredLength) {
    int length = preferredLength;
    // All ones in the value bits means "unknown", so the largest size of n bytes is 2^(7n) - 2.
    if (size > (1L << (7 * length)) - 2) {
      length = EbmlReader.MAX_SIZE_BYTES;
    }
    byte[] field = new byte[length];
    for (int i = 0; i < length; i++) {
      field[i] = (byte) (size >>> (8 * (length - 1 - i)));
    }
    field[0] |= (byte) (0x80 >>> (length - 1));
    return field;
  }

  /** Length of an element ID from its first byte (the position of the first set bit). */
  private static int idLength(byte first) {
    return Integer.numberOfLeadingZeros(first & 0xFF) - 23;
  }

  private static int level(int id) {
    switch (id) {
      case ID_EBML:
      case ID_SEGMENT:
        return 0;
      case ID_SEEK_HEAD:
      case ID_INFO:
      case ID_TRACKS:
      case ID_CLUSTER:
      case ID_CUES:
      case ID_TAGS:
      case ID_CHAPTERS:
      case ID_ATTACHMENTS:
        return 1;
      case ID_TRACK_ENTRY:
      case ID_BLOCK_GROUP:
        return 2;
      default:
        return -1;
    }
  }

  /** The element tree: top-level elements with the descended masters' children. */
  private static List<Element> elements(byte[] bytes) {
    EbmlReader reader = new EbmlReader(SCHEMA);
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    Deque<int[]> openHeaders = new ArrayDeque<>();
    Deque<long[]> openSizes = new ArrayDeque<>();
    Deque<List<Element>> openChildren = new ArrayDeque<>();
    List<Element> top = new ArrayList<>();
    boolean ended = false;
    try {
      while (true) {
        EbmlReader.Event event = reader.read(buffer);
        switch (event) {
          case NEED_MORE_DATA -> {
            if (ended) {
              throw new AssertionError("EBML reader wants bytes after the end of input");
            }
            reader.endOfInput();
            ended = true;
          }
          case ELEMENT_START -> {
            openHeaders.push(new int[] {reader.elementId(), (int) reader.elementStartPosition(),
                reader.headerSize()});
            openSizes.push(new long[] {reader.dataSize()});
            openChildren.push(reader.elementType() == EbmlType.MASTER ? new ArrayList<>()
                : List.of());
          }
          case ELEMENT_END -> {
            int[] h = openHeaders.pop();
            long size = openSizes.pop()[0];
            List<Element> children = openChildren.pop();
            Element e = new Element(h[0], h[1], h[2], size, (int) reader.elementEndPosition(),
                SCHEMA.type(h[0]) == EbmlType.MASTER ? List.copyOf(children) : null);
            (openChildren.isEmpty() ? top : openChildren.peek()).add(e);
          }
          case END_OF_INPUT -> {
            return top;
          }
          default -> {
            // VALUE, PAYLOAD: positions are all that is needed
          }
        }
      }
    } catch (MediaFormatException e) {
      throw new AssertionError("test media is not valid EBML", e);
    }
  }
}
