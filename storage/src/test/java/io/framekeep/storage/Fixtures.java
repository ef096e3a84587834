package io.framekeep.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** Shared builders for storage tests. */
final class Fixtures {

  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  private Fixtures() {}

  static StreamRecord stream(String name) {
    return new StreamRecord(0, name, "arn:aws:kinesisvideo:us-east-1:123456789012:stream/" + name + "/1700000000000",
        "camera-1", "video/h264", "arn:aws:kms:us-east-1:123456789012:alias/aws/kinesisvideo", "v1", "ACTIVE",
        1_700_000_000_000L, 24, "HOT");
  }

  static long createStream(EmbeddedStorage storage, String name) throws StreamExistsException {
    return storage.catalog().create(stream(name), Map.of()).streamId();
  }

  /** Deterministic payload bytes, distinct per seed. */
  static byte[] payload(int seed, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (seed * 31 + i * 7);
    }
    return bytes;
  }

  static FragmentMetadata metadata(long producerMs, long serverMs, long headerId) {
    return new FragmentMetadata(producerMs, serverMs, 2000, headerId, new byte[] {1, 2, (byte) producerMs});
  }

  /** Writes {@code payload} in pieces of {@code pieceBytes} and commits it. */
  static FragmentRecord append(FragmentAppender appender, byte[] payload, int pieceBytes, FragmentMetadata metadata)
      throws IOException {
    for (int from = 0; from < payload.length; from += pieceBytes) {
      appender.write(ByteBuffer.wrap(payload, from, Math.min(pieceBytes, payload.length - from)));
    }
    return appender.commit(metadata);
  }

  /** Reads a fragment's payload back through the read API. */
  static byte[] read(FragmentLog log, FragmentRecord record) throws IOException {
    try (ByteSource source = log.open(ByteRange.whole(record))) {
      ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(record.lengthBytes()));
      source.read(0, buffer);
      return buffer.array();
    }
  }

  static Path segment(Path dataDir, long streamId, long segmentId) {
    return dataDir.resolve("streams").resolve(Long.toString(streamId)).resolve(segmentId + ".seg");
  }
}
