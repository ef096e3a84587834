package io.framekeep.media;

/**
 * The one checked exception for bytes that are not what they claim to be.
 *
 * <p>Code driven by stream bytes throws only this (never {@code IllegalArgumentException} or
 * {@code IllegalStateException}, which are kept for programmer errors). Instances are created by
 * the named factories; the {@link Kind} lets the server map each to its AWS error without parsing
 * messages. Messages are meant for the client: they name what was wrong and where.
 */
public final class MediaFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the bytes were refused. */
  public enum Kind {
    /** Structurally broken input (bad EBML, truncated element, size out of bounds). */
    MALFORMED,
    /** Well formed but uses something this server does not handle (codec, track layout). */
    UNSUPPORTED,
    /** A track that must carry codec private data has none. */
    MISSING_CODEC_PRIVATE_DATA,
    /** Codec private data present but not valid for the codec, or changed within a clip. */
    INVALID_CODEC_PRIVATE_DATA,
    /** A frame that cannot be parsed per its codec (bad NAL lengths, empty frame). */
    INVALID_MEDIA_FRAME
  }

  /** The PutMedia ack {@code ErrorId} for MKV with no more specific id: INVALID_MKV_DATA. */
  public static final int ACK_INVALID_MKV_DATA = 4006;

  private final Kind kind;
  private final int ackErrorId;

  private MediaFormatException(Kind kind, String message, Throwable cause, int ackErrorId) {
    super(message, cause);
    this.kind = kind;
    this.ackErrorId = ackErrorId;
  }

  private MediaFormatException(Kind kind, String message, Throwable cause) {
    this(kind, message, cause, ACK_INVALID_MKV_DATA);
  }

  /**
   * Ingest input that breaks a KVS PutMedia rule with its own ack {@code ErrorId} (4001 fragment
   * too large, 4002 too long, 4004 timecode going backwards, 4010, 4011, 4012, ...).
   */
  public static MediaFormatException ingestRejected(int ackErrorId, String message) {
    return new MediaFormatException(Kind.MALFORMED, message, null, ackErrorId);
  }

  public static MediaFormatException malformed(String message) {
    return new MediaFormatException(Kind.MALFORMED, message, null);
  }

  public static MediaFormatException malformed(String message, Throwable cause) {
    return new MediaFormatException(Kind.MALFORMED, message, cause);
  }

  public static MediaFormatException unsupported(String message) {
    return new MediaFormatException(Kind.UNSUPPORTED, message, null);
  }

  public static MediaFormatException missingCodecPrivateData(String message) {
    return new MediaFormatException(Kind.MISSING_CODEC_PRIVATE_DATA, message, null);
  }

  public static MediaFormatException invalidCodecPrivateData(String message) {
    return new MediaFormatException(Kind.INVALID_CODEC_PRIVATE_DATA, message, null);
  }

  public static MediaFormatException invalidMediaFrame(String message) {
    return new MediaFormatException(Kind.INVALID_MEDIA_FRAME, message, null);
  }

  public Kind kind() {
    return kind;
  }

  /** The PutMedia ack ErrorId this failure maps to ({@link #ACK_INVALID_MKV_DATA} by default). */
  public int ackErrorId() {
    return ackErrorId;
  }
}
