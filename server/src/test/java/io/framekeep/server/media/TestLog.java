package io.framekeep.server.media;

import io.framekeep.storage.EmbeddedStorage;
import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentMetadata;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.StreamRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real embedded storage with one stream whose fragments are written directly (no PutMedia):
 * fragment i has producer time {@code i * 1000}, server time {@code 50_000 + i * 1000}, lasts
 * 1000 ms, and its payload is {@code "cluster-" + i} repeated, so chunk bytes can be checked.
 */
final class TestLog implements AutoCloseable {
  /** EBML header (DocType matroska) + unknown-size Segment + a 3-byte Void, as ingest stores it. */
  static final byte[] HEADER = {
      0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, (byte) 0x8B, 0x42, (byte) 0x82, (byte) 0x88,
      'm', 'a', 't', 'r', 'o', 's', 'k', 'a',
      0x18, 0x53, (byte) 0x80, 0x67, 0x01, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
      (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
      (byte) 0xEC, (byte) 0x83, 0, 0, 0};

  final EmbeddedStorage storage;
  final StreamRecord stream;
  final List<FragmentRecord> fragments = new ArrayList<>();
  private final long headerId;

  TestLog(Path dir, String name) throws Exception {
    storage = EmbeddedStorage.open(dir, Clock.systemUTC());
    stream = storage.catalog().create(new StreamRecord(0, name,
        "arn:aws:kinesisvideo:us-east-1:000000000000:stream/" + name + "/1", null, null, null,
        "v1", "ACTIVE", 1, 24, "HOT"), Map.of());
    headerId = storage.fragments().putHeader(stream.streamId(), HEADER);
  }

  static byte[] payload(int i) {
    return ("cluster-" + i + "/").repeat(10).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** Appends {@code count} fragments numbered from the current count. */
  void append(int count) throws IOException {
    try (FragmentAppender appender = storage.fragments().openAppender(stream.streamId())) {
      for (int n = 0; n < count; n++) {
        int i = fragments.size();
        appender.write(ByteBuffer.wrap(payload(i)));
        fragments.add(appender.commit(new FragmentMetadata(i * 1000L, 50_000 + i * 1000L, 1000,
            headerId, new byte[0])));
      }
    }
  }

  @Override
  public void close() throws IOException {
    storage.close();
  }
}
