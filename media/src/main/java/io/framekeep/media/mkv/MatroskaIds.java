package io.framekeep.media.mkv;

/**
 * Matroska and EBML element IDs used at ingest, named as in the Matroska specification
 * (RFC 9559) with the legacy "Timecode" spellings that KVS documentation uses. IDs are written
 * with their length marker bits, as they appear on the wire.
 */
public final class MatroskaIds {
  private MatroskaIds() {}

  // EBML header (RFC 8794).
  public static final int ID_EBML = 0x1A45DFA3;
  public static final int ID_EBML_VERSION = 0x4286;
  public static final int ID_EBML_READ_VERSION = 0x42F7;
  public static final int ID_EBML_MAX_ID_LENGTH = 0x42F2;
  public static final int ID_EBML_MAX_SIZE_LENGTH = 0x42F3;
  public static final int ID_DOC_TYPE = 0x4282;
  public static final int ID_DOC_TYPE_VERSION = 0x4287;
  public static final int ID_DOC_TYPE_READ_VERSION = 0x4285;

  // Global elements, valid inside any master.
  public static final int ID_VOID = 0xEC;
  public static final int ID_CRC32 = 0xBF;

  public static final int ID_SEGMENT = 0x18538067;

  // Level 1.
  public static final int ID_SEEK_HEAD = 0x114D9B74;
  public static final int ID_INFO = 0x1549A966;
  public static final int ID_TRACKS = 0x1654AE6B;
  public static final int ID_CLUSTER = 0x1F43B675;
  public static final int ID_CUES = 0x1C53BB6B;
  public static final int ID_TAGS = 0x1254C367;
  public static final int ID_CHAPTERS = 0x1043A770;
  public static final int ID_ATTACHMENTS = 0x1941A469;

  // Info.
  public static final int ID_TIMECODE_SCALE = 0x2AD7B1;
  public static final int ID_DURATION = 0x4489;

  // Tracks.
  public static final int ID_TRACK_ENTRY = 0xAE;
  public static final int ID_TRACK_NUMBER = 0xD7;
  public static final int ID_TRACK_UID = 0x73C5;
  public static final int ID_TRACK_TYPE = 0x83;
  public static final int ID_CODEC_ID = 0x86;
  public static final int ID_CODEC_PRIVATE = 0x63A2;
  public static final int ID_DEFAULT_DURATION = 0x23E383;
  public static final int ID_VIDEO = 0xE0;
  public static final int ID_PIXEL_WIDTH = 0xB0;
  public static final int ID_PIXEL_HEIGHT = 0xBA;
  public static final int ID_AUDIO = 0xE1;
  public static final int ID_SAMPLING_FREQUENCY = 0xB5;
  public static final int ID_CHANNELS = 0x9F;
  public static final int ID_BIT_DEPTH = 0x6264;

  // Cluster.
  public static final int ID_TIMECODE = 0xE7;
  public static final int ID_POSITION = 0xA7;
  public static final int ID_PREV_SIZE = 0xAB;
  public static final int ID_SIMPLE_BLOCK = 0xA3;
  public static final int ID_BLOCK_GROUP = 0xA0;
  public static final int ID_BLOCK = 0xA1;
  public static final int ID_BLOCK_DURATION = 0x9B;
  public static final int ID_REFERENCE_BLOCK = 0xFB;

  /** DocType values accepted at ingest. */
  public static final String DOC_TYPE_MATROSKA = "matroska";
  public static final String DOC_TYPE_WEBM = "webm";
}
