package io.framekeep.server.control;

import io.framekeep.api.model.StreamInfo;
import io.framekeep.storage.StreamRecord;
import java.security.SecureRandom;
import java.time.Instant;

/** Conversions between stored streams and their wire form, and fresh version tokens. */
final class StreamViews {
  /** AWS stream versions are observed as 20 alphanumeric characters. */
  private static final int VERSION_CHARS = 20;
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private StreamViews() {}

  static StreamInfo info(StreamRecord s) {
    return new StreamInfo(s.deviceName(), s.name(), s.arn(), s.mediaType(), s.kmsKeyId(),
        s.version(), s.status(), Instant.ofEpochMilli(s.creationTimeMs()), s.dataRetentionHours());
  }

  static String newVersion() {
    StringBuilder sb = new StringBuilder(VERSION_CHARS);
    for (int i = 0; i < VERSION_CHARS; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  static StreamRecord withVersion(StreamRecord s, String version, String deviceName,
      String mediaType, int retentionHours) {
    return new StreamRecord(s.streamId(), s.name(), s.arn(), deviceName, mediaType, s.kmsKeyId(),
        version, s.status(), s.creationTimeMs(), retentionHours, s.storageTier());
  }

  static StreamRecord withTier(StreamRecord s, String version, String storageTier) {
    return new StreamRecord(s.streamId(), s.name(), s.arn(), s.deviceName(), s.mediaType(),
        s.kmsKeyId(), version, s.status(), s.creationTimeMs(), s.dataRetentionHours(), storageTier);
  }
}
