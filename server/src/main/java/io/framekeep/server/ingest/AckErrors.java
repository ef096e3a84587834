package io.framekeep.server.ingest;

import java.util.Map;

/** The PutMedia ack ErrorIds this server sends, with their symbolic names (spec §3.7). */
final class AckErrors {
  static final int STREAM_READ_ERROR = 4000;
  static final int MAX_FRAGMENT_SIZE_REACHED = 4001;
  static final int MAX_FRAGMENT_DURATION_REACHED = 4002;
  static final int MAX_CONNECTION_DURATION_REACHED = 4003;
  static final int FRAGMENT_TIMECODE_LESSER_THAN_PREVIOUS = 4004;
  static final int INVALID_MKV_DATA = 4006;
  static final int INVALID_PRODUCER_TIMESTAMP = 4007;
  static final int STREAM_NOT_ACTIVE = 4008;
  static final int FRAGMENT_METADATA_LIMIT_REACHED = 4009;
  static final int TRACK_NUMBER_MISMATCH = 4010;
  static final int FRAMES_MISSING_FOR_TRACK = 4011;
  static final int MORE_THAN_ALLOWED_TRACKS_FOUND = 4012;
  static final int STREAM_DELETED = 4507;
  static final int INTERNAL_ERROR = 5000;
  static final int ARCHIVAL_ERROR = 5001;

  private static final Map<Integer, String> NAMES = Map.ofEntries(
      Map.entry(STREAM_READ_ERROR, "STREAM_READ_ERROR"),
      Map.entry(MAX_FRAGMENT_SIZE_REACHED, "MAX_FRAGMENT_SIZE_REACHED"),
      Map.entry(MAX_FRAGMENT_DURATION_REACHED, "MAX_FRAGMENT_DURATION_REACHED"),
      Map.entry(MAX_CONNECTION_DURATION_REACHED, "MAX_CONNECTION_DURATION_REACHED"),
      Map.entry(FRAGMENT_TIMECODE_LESSER_THAN_PREVIOUS, "FRAGMENT_TIMECODE_LESSER_THAN_PREVIOUS"),
      Map.entry(INVALID_MKV_DATA, "INVALID_MKV_DATA"),
      Map.entry(INVALID_PRODUCER_TIMESTAMP, "INVALID_PRODUCER_TIMESTAMP"),
      Map.entry(STREAM_NOT_ACTIVE, "STREAM_NOT_ACTIVE"),
      Map.entry(FRAGMENT_METADATA_LIMIT_REACHED, "FRAGMENT_METADATA_LIMIT_REACHED"),
      Map.entry(TRACK_NUMBER_MISMATCH, "TRACK_NUMBER_MISMATCH"),
      Map.entry(FRAMES_MISSING_FOR_TRACK, "FRAMES_MISSING_FOR_TRACK"),
      Map.entry(MORE_THAN_ALLOWED_TRACKS_FOUND, "MORE_THAN_ALLOWED_TRACKS_FOUND"),
      Map.entry(STREAM_DELETED, "STREAM_DELETED"),
      Map.entry(INTERNAL_ERROR, "INTERNAL_ERROR"),
      Map.entry(ARCHIVAL_ERROR, "ARCHIVAL_ERROR"));

  private AckErrors() {}

  static String name(int errorId) {
    return NAMES.getOrDefault(errorId, "UNKNOWN");
  }
}
