package io.framekeep.client;

import java.util.Map;

/**
 * PutMedia ERROR ack ids and their symbolic names (spec §3.7, the union of the KVS developer
 * guide, the producer SDK and the Java v1 SDK). Stateless.
 */
public final class AckErrors {
  private static final Map<Integer, String> NAMES = Map.ofEntries(
      Map.entry(4000, "STREAM_READ_ERROR"),
      Map.entry(4001, "MAX_FRAGMENT_SIZE_REACHED"),
      Map.entry(4002, "MAX_FRAGMENT_DURATION_REACHED"),
      Map.entry(4003, "MAX_CONNECTION_DURATION_REACHED"),
      Map.entry(4004, "FRAGMENT_TIMECODE_LESSER_THAN_PREVIOUS"),
      Map.entry(4005, "MORE_THAN_ONE_TRACK_FOUND"),
      Map.entry(4006, "INVALID_MKV_DATA"),
      Map.entry(4007, "INVALID_PRODUCER_TIMESTAMP"),
      Map.entry(4008, "STREAM_NOT_ACTIVE"),
      Map.entry(4009, "FRAGMENT_METADATA_LIMIT_REACHED"),
      Map.entry(4010, "TRACK_NUMBER_MISMATCH"),
      Map.entry(4011, "FRAMES_MISSING_FOR_TRACK"),
      Map.entry(4012, "MORE_THAN_ALLOWED_TRACKS_FOUND"),
      Map.entry(4500, "KMS_KEY_ACCESS_DENIED"),
      Map.entry(4501, "KMS_KEY_DISABLED"),
      Map.entry(4502, "KMS_KEY_VALIDATION_ERROR"),
      Map.entry(4503, "KMS_KEY_UNAVAILABLE"),
      Map.entry(4504, "KMS_KEY_INVALID_USAGE"),
      Map.entry(4505, "KMS_KEY_INVALID_STATE"),
      Map.entry(4506, "KMS_KEY_NOT_FOUND"),
      Map.entry(4507, "STREAM_DELETED"),
      Map.entry(5000, "INTERNAL_ERROR"),
      Map.entry(5001, "ARCHIVAL_ERROR"));

  private AckErrors() {}

  /** The symbolic name of an ErrorId, or {@code UNKNOWN_ERROR}. */
  public static String name(int errorId) {
    return NAMES.getOrDefault(errorId, "UNKNOWN_ERROR");
  }
}
