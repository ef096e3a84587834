package io.framekeep.media.kvs;

import static io.framekeep.media.mkv.MatroskaIds.DOC_TYPE_MATROSKA;
import static io.framekeep.media.mkv.MatroskaIds.ID_DOC_TYPE;
import static io.framekeep.media.mkv.MatroskaIds.ID_DOC_TYPE_READ_VERSION;
import static io.framekeep.media.mkv.MatroskaIds.ID_DOC_TYPE_VERSION;
import static io.framekeep.media.mkv.MatroskaIds.ID_EBML;
import static io.framekeep.media.mkv.MatroskaIds.ID_EBML_MAX_ID_LENGTH;
import static io.framekeep.media.mkv.MatroskaIds.ID_EBML_MAX_SIZE_LENGTH;
import static io.framekeep.media.mkv.MatroskaIds.ID_EBML_READ_VERSION;
import static io.framekeep.media.mkv.MatroskaIds.ID_EBML_VERSION;
import static io.framekeep.media.mkv.MatroskaIds.ID_SEGMENT;
import static io.framekeep.media.mkv.MatroskaIds.ID_TAGS;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Writes the parts of a KVS chunk (spec §3.8) that are not the stored Cluster: the prefix sent
 * before the Cluster bytes and the suffix sent after them, plus the error chunk.
 *
 * <pre>
 * prefix:  EBML header (as the producer sent it)
 *          Segment (unknown size)
 *            pre-cluster elements of the producer (byte-identical)
 *            Tags: AWS_KINESISVIDEO_FRAGMENT_NUMBER, _SERVER_TIMESTAMP, _PRODUCER_TIMESTAMP
 * (the stored Cluster, exactly as ingested, goes here)
 * suffix:    Tags: AWS_KINESISVIDEO_MILLIS_BEHIND_NOW, _CONTINUATION_TOKEN
 * </pre>
 *
 * <p>Each service tag is one {@code Tag} holding an empty {@code Targets} (which Matroska requires
 * and defaults to the whole segment) and one {@code SimpleTag} with {@code TagName} and
 * {@code TagString}. Timestamps are epoch seconds with exactly three decimals
 * ({@code 1511852109.126}), which AWS's parser library reads as double seconds.
 *
 * <p>Every part is sized exactly before it is written; the returned buffers are ready to read
 * (position 0, limit = length). Stateless and thread-safe.
 */
public final class KvsChunkWriter {
  /** Matroska Tag, Targets, SimpleTag, TagName, TagString element IDs. */
  public static final int ID_TAG = 0x7373;
  public static final int ID_TARGETS = 0x63C0;
  public static final int ID_SIMPLE_TAG = 0x67C8;
  public static final int ID_TAG_NAME = 0x45A3;
  public static final int ID_TAG_STRING = 0x4487;

  public static final String TAG_FRAGMENT_NUMBER = "AWS_KINESISVIDEO_FRAGMENT_NUMBER";
  public static final String TAG_SERVER_TIMESTAMP = "AWS_KINESISVIDEO_SERVER_TIMESTAMP";
  public static final String TAG_PRODUCER_TIMESTAMP = "AWS_KINESISVIDEO_PRODUCER_TIMESTAMP";
  public static final String TAG_MILLIS_BEHIND_NOW = "AWS_KINESISVIDEO_MILLIS_BEHIND_NOW";
  public static final String TAG_CONTINUATION_TOKEN = "AWS_KINESISVIDEO_CONTINUATION_TOKEN";
  /** Error chunk tags read by AWS's parser library. */
  public static final String TAG_ERROR_ID = "AWS_KINESISVIDEO_ERROR_ID";
  public static final String TAG_ERROR_CODE = "AWS_KINESISVIDEO_ERROR_CODE";
  /** Error chunk tags named by the GetMediaForFragmentList documentation (spec §6 row 5). */
  public static final String TAG_EXCEPTION_ERROR_CODE = "AWS_KINESISVIDEO_EXCEPTION_ERROR_CODE";
  public static final String TAG_EXCEPTION_MESSAGE = "AWS_KINESISVIDEO_EXCEPTION_MESSAGE";

  /** DocTypeVersion of the EBML header of an error chunk: Matroska v4 (what ffmpeg writes). */
  private static final int ERROR_CHUNK_DOC_TYPE_VERSION = 4;
  /** DocTypeReadVersion of that header: the chunk uses nothing beyond Matroska v2. */
  private static final int ERROR_CHUNK_DOC_TYPE_READ_VERSION = 2;

  private KvsChunkWriter() {}

  /** One SimpleTag: name and value, both UTF-8. */
  private record SimpleTag(byte[] name, byte[] value) {
    static SimpleTag of(String name, String value) {
      return new SimpleTag(EbmlWriter.utf8(name), EbmlWriter.utf8(value));
    }

    long simpleTagPayload() {
      return EbmlWriter.elementLength(ID_TAG_NAME, name.length)
          + EbmlWriter.elementLength(ID_TAG_STRING, value.length);
    }

    long tagPayload() {
      return EbmlWriter.elementLength(ID_TARGETS, 0)
          + EbmlWriter.elementLength(ID_SIMPLE_TAG, simpleTagPayload());
    }
  }

  /** Everything of a chunk before its Cluster. */
  public static ByteBuffer prefix(StoredHeader header, String fragmentNumber,
      long serverTimestampMs, long producerTimestampMs) {
    List<SimpleTag> tags = List.of(
        SimpleTag.of(TAG_FRAGMENT_NUMBER, fragmentNumber),
        SimpleTag.of(TAG_SERVER_TIMESTAMP, epochSeconds(serverTimestampMs)),
        SimpleTag.of(TAG_PRODUCER_TIMESTAMP, epochSeconds(producerTimestampMs)));
    long length = header.ebmlHeaderLength() + EbmlWriter.unknownSizeHeaderLength(ID_SEGMENT)
        + header.preClusterLength() + tagsLength(tags);
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(length));
    out.put(header.raw(), 0, header.ebmlHeaderLength());
    EbmlWriter.putUnknownSizeHeader(out, ID_SEGMENT);
    out.put(header.raw(), header.preClusterStart(), header.preClusterLength());
    putTags(out, tags);
    return out.flip();
  }

  /** Everything of a chunk after its Cluster. */
  public static ByteBuffer suffix(long millisBehindNow, String continuationToken) {
    List<SimpleTag> tags = List.of(
        SimpleTag.of(TAG_MILLIS_BEHIND_NOW, Long.toString(millisBehindNow)),
        SimpleTag.of(TAG_CONTINUATION_TOKEN, continuationToken));
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(tagsLength(tags)));
    putTags(out, tags);
    return out.flip();
  }

  /**
   * A whole chunk that reports an error instead of a fragment: a minimal Matroska EBML header and
   * an unknown-size Segment holding only Tags with the fragment number (if any) and the error, in
   * both spellings (the parser library's ERROR_ID / ERROR_CODE and the documentation's
   * EXCEPTION_ERROR_CODE / EXCEPTION_MESSAGE). It has no SERVER_TIMESTAMP, which is how readers
   * tell it from a fragment.
   *
   * @param fragmentNumber the fragment concerned, or null when the error concerns none
   * @param errorId the numeric id (e.g. 4000 fragment not found, 5000 internal error)
   * @param errorCode a short name of the error
   * @param message a sentence for people
   */
  public static ByteBuffer errorChunk(String fragmentNumber, long errorId, String errorCode,
      String message) {
    List<SimpleTag> tags = fragmentNumber == null
        ? List.of(
            SimpleTag.of(TAG_ERROR_ID, Long.toString(errorId)),
            SimpleTag.of(TAG_ERROR_CODE, errorCode),
            SimpleTag.of(TAG_EXCEPTION_ERROR_CODE, Long.toString(errorId)),
            SimpleTag.of(TAG_EXCEPTION_MESSAGE, message))
        : List.of(
            SimpleTag.of(TAG_FRAGMENT_NUMBER, fragmentNumber),
            SimpleTag.of(TAG_ERROR_ID, Long.toString(errorId)),
            SimpleTag.of(TAG_ERROR_CODE, errorCode),
            SimpleTag.of(TAG_EXCEPTION_ERROR_CODE, Long.toString(errorId)),
            SimpleTag.of(TAG_EXCEPTION_MESSAGE, message));
    long ebmlPayload = ebmlHeaderPayloadLength();
    long length = EbmlWriter.elementLength(ID_EBML, ebmlPayload)
        + EbmlWriter.unknownSizeHeaderLength(ID_SEGMENT) + tagsLength(tags);
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(length));
    EbmlWriter.putHeader(out, ID_EBML, ebmlPayload);
    EbmlWriter.putUnsigned(out, ID_EBML_VERSION, 1);
    EbmlWriter.putUnsigned(out, ID_EBML_READ_VERSION, 1);
    EbmlWriter.putUnsigned(out, ID_EBML_MAX_ID_LENGTH, 4);
    EbmlWriter.putUnsigned(out, ID_EBML_MAX_SIZE_LENGTH, EbmlWriter.MAX_SIZE_BYTES);
    EbmlWriter.putString(out, ID_DOC_TYPE, DOC_TYPE_MATROSKA);
    EbmlWriter.putUnsigned(out, ID_DOC_TYPE_VERSION, ERROR_CHUNK_DOC_TYPE_VERSION);
    EbmlWriter.putUnsigned(out, ID_DOC_TYPE_READ_VERSION, ERROR_CHUNK_DOC_TYPE_READ_VERSION);
    EbmlWriter.putUnknownSizeHeader(out, ID_SEGMENT);
    putTags(out, tags);
    return out.flip();
  }

  /** Epoch milliseconds as epoch seconds with three decimals: 1511852109126 → "1511852109.126". */
  public static String epochSeconds(long epochMs) {
    return BigDecimal.valueOf(epochMs, 3).toPlainString();
  }

  private static long ebmlHeaderPayloadLength() {
    return EbmlWriter.unsignedElementLength(ID_EBML_VERSION, 1)
        + EbmlWriter.unsignedElementLength(ID_EBML_READ_VERSION, 1)
        + EbmlWriter.unsignedElementLength(ID_EBML_MAX_ID_LENGTH, 4)
        + EbmlWriter.unsignedElementLength(ID_EBML_MAX_SIZE_LENGTH, EbmlWriter.MAX_SIZE_BYTES)
        + EbmlWriter.stringElementLength(ID_DOC_TYPE, DOC_TYPE_MATROSKA)
        + EbmlWriter.unsignedElementLength(ID_DOC_TYPE_VERSION, ERROR_CHUNK_DOC_TYPE_VERSION)
        + EbmlWriter.unsignedElementLength(ID_DOC_TYPE_READ_VERSION,
            ERROR_CHUNK_DOC_TYPE_READ_VERSION);
  }

  private static long tagsPayload(List<SimpleTag> tags) {
    long payload = 0;
    for (SimpleTag tag : tags) {
      payload += EbmlWriter.elementLength(ID_TAG, tag.tagPayload());
    }
    return payload;
  }

  private static long tagsLength(List<SimpleTag> tags) {
    return EbmlWriter.elementLength(ID_TAGS, tagsPayload(tags));
  }

  private static void putTags(ByteBuffer out, List<SimpleTag> tags) {
    EbmlWriter.putHeader(out, ID_TAGS, tagsPayload(tags));
    for (SimpleTag tag : tags) {
      EbmlWriter.putHeader(out, ID_TAG, tag.tagPayload());
      EbmlWriter.putHeader(out, ID_TARGETS, 0);
      EbmlWriter.putHeader(out, ID_SIMPLE_TAG, tag.simpleTagPayload());
      EbmlWriter.putHeader(out, ID_TAG_NAME, tag.name().length);
      out.put(tag.name());
      EbmlWriter.putHeader(out, ID_TAG_STRING, tag.value().length);
      out.put(tag.value());
    }
  }
}
