package io.framekeep.server.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.crash.ApiCalls;
import io.framekeep.storage.CorruptIndexException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged index database stops the server from starting, with a message naming the file. */
class CorruptIndexStartTest {
  @TempDir Path dir;

  @Test
  void start_garbageIndexDatabase_refusedNamingFileAndRecoveryProcedure() throws Exception {
    ServerConfig config = ServerConfig.defaults(dir).withPort(0).withNoAuth();
    try (FramekeepServer server = FramekeepServer.start(config)) {
      new ApiCalls(server.port()).createStream("cam", 24);
    }
    Path database = dir.resolve("framekeep.db");
    try (FileChannel channel = FileChannel.open(database, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap("not a database, garbage written over the header".getBytes()), 0);
    }

    assertThatThrownBy(() -> FramekeepServer.start(config))
        .isInstanceOf(CorruptIndexException.class)
        .hasMessageContaining(database.toString())
        .hasMessageContaining(".recover");
    assertThat(database).exists();
  }
}
