package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.auth.Credential;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;

/**
 * The data directory holds every stored video and the generated secret: after a server made its
 * credential, catalogue, index and segments there, every directory is 0700 and every file 0600,
 * and a directory an earlier version left 0755 is tightened on start.
 */
class DataDirectoryPermissionsTest {
  @TempDir Path parent;

  @Test
  void dataDirectory_afterUpload_ownerOnlyThroughout() throws Exception {
    Path dataDir = Files.createDirectory(parent.resolve("data"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (FramekeepServer server = FramekeepServer.start(ServerConfig.defaults(dataDir)
        .withPort(0))) {
      Credential c = server.credential();
      try (KinesisVideoClient kv = KinesisVideoClient.builder()
          .endpointOverride(URI.create(server.baseUrl()))
          .region(InProcessServer.REGION)
          .credentialsProvider(StaticCredentialsProvider.create(
              AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey())))
          .httpClient(UrlConnectionHttpClient.create())
          .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
          .build()) {
        Streams.create(kv, "private", 24);
        PutMediaClient.Response put = new PutMediaClient(Streams.dataEndpoint(kv, "private",
                software.amazon.awssdk.services.kinesisvideo.model.APIName.PUT_MEDIA),
            AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey()), "us-east-1")
            .put(PutMediaClient.Target.relative("private", java.time.Instant.now()),
                PutMediaClient.Signing.EMPTY_PAYLOAD_HASH,
                new java.io.ByteArrayInputStream(TestMedia.h264AacBytes()),
                Streams.UPLOAD_TIMEOUT);
        assertThat(put.acks("PERSISTED")).isNotEmpty();
      }
    }
    List<Path> all;
    try (Stream<Path> walk = Files.walk(dataDir)) {
      all = walk.toList();
    }
    assertThat(all).anyMatch(p -> p.getFileName().toString().equals("credentials"));
    assertThat(all).anyMatch(p -> p.toString().contains("streams") && Files.isRegularFile(p));
    assertThat(all.stream().filter(Files::isRegularFile).count()).isGreaterThan(3);
    for (Path p : all) {
      String expected = Files.isDirectory(p) ? "rwx------" : "rw-------";
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
          .as(dataDir.relativize(p).toString()).isEqualTo(expected);
    }
  }
}
