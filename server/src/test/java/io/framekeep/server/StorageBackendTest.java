package io.framekeep.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageBackendTest {
  @TempDir Path dir;

  @Test
  void named_flagValues_findTheirBackendWhateverTheCase() {
    assertThat(StorageBackend.named("embedded")).contains(StorageBackend.EMBEDDED);
    assertThat(StorageBackend.named("CLUSTER")).contains(StorageBackend.CLUSTER);
    assertThat(StorageBackend.named("s3")).isEmpty();
  }

  @Test
  void start_clusterBackendWithoutSettings_failsNamingTheMissingFlagAndTouchesNothing() {
    Path data = dir.resolve("data");

    assertThatThrownBy(() -> FramekeepServer.start(
        ServerConfig.defaults(data).withPort(0).withNoAuth(), StorageBackend.CLUSTER))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("--database-url");
    assertThat(Files.exists(data)).isFalse();
  }

  @Test
  void start_clusterBackendWithoutBucket_failsNamingIt() {
    ServerConfig config = ServerConfig.defaults(dir.resolve("data")).withPort(0).withNoAuth()
        .withStorageSettings(java.util.Map.of("database-url", "jdbc:postgresql://127.0.0.1:1/x"));

    assertThatThrownBy(() -> FramekeepServer.start(config, StorageBackend.CLUSTER))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("--s3-bucket");
  }

  @Test
  void start_embeddedBackend_servesFromTheDataDirectory() throws Exception {
    Path data = dir.resolve("data");
    try (FramekeepServer server = FramekeepServer.start(
        ServerConfig.defaults(data).withPort(0).withNoAuth(), StorageBackend.EMBEDDED)) {
      assertThat(server.port()).isPositive();
      assertThat(data.resolve("framekeep.db")).exists();
    }
  }
}
