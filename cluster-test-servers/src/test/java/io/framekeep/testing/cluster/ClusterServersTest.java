package io.framekeep.testing.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.core.exception.SdkClientException;

class ClusterServersTest {

  @RegisterExtension static final ClusterServers SERVERS = new ClusterServers();

  private S3Client s3() {
    return S3Client.builder()
        .endpointOverride(URI.create(SERVERS.s3().endpoint()))
        .region(Region.of(S3ProxyServer.REGION))
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY_ID, S3ProxyServer.SECRET_ACCESS_KEY)))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(ApacheHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
        .build();
  }

  @Test
  void postgres_started_acceptsSqlAsNonRootServerProcess() throws Exception {
    try (Connection c = DriverManager.getConnection(SERVERS.postgres().jdbcUrl());
         Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id bigint PRIMARY KEY, v text)");
      s.execute("INSERT INTO t VALUES (1, 'one')");
      try (ResultSet rows = s.executeQuery("SELECT v, current_setting('server_version_num')::int FROM t")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getString(1)).isEqualTo("one");
        assertThat(rows.getInt(2)).isGreaterThanOrEqualTo(160000);
      }
    }
  }

  @Test
  void postgres_restarted_keepsDataAndPort() throws Exception {
    try (Connection c = DriverManager.getConnection(SERVERS.postgres().jdbcUrl());
         Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kept (v text)");
      s.execute("INSERT INTO kept VALUES ('before restart')");
    }

    SERVERS.postgres().stop();
    assertThatThrownBy(() -> DriverManager.getConnection(SERVERS.postgres().jdbcUrl()).close())
        .isInstanceOf(SQLException.class);
    SERVERS.postgres().restart();

    try (Connection c = DriverManager.getConnection(SERVERS.postgres().jdbcUrl());
         Statement s = c.createStatement();
         ResultSet rows = s.executeQuery("SELECT v FROM kept")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("before restart");
    }
  }

  @Test
  void s3_putThenRangedGet_returnsTheRange() {
    try (S3Client s3 = s3()) {
      s3.putObject(b -> b.bucket(S3ProxyServer.BUCKET).key("a/b"),
          RequestBody.fromString("0123456789", StandardCharsets.US_ASCII));

      String range = s3.getObjectAsBytes(b -> b.bucket(S3ProxyServer.BUCKET).key("a/b").range("bytes=3-6"))
          .asString(StandardCharsets.US_ASCII);

      assertThat(range).isEqualTo("3456");
    }
  }

  @Test
  void s3_stoppedThenStarted_refusesThenServesStoredObjects() throws Exception {
    try (S3Client s3 = s3()) {
      s3.putObject(b -> b.bucket(S3ProxyServer.BUCKET).key("kept"), RequestBody.fromString("x"));

      SERVERS.s3().stop();
      assertThatThrownBy(() -> s3.headObject(b -> b.bucket(S3ProxyServer.BUCKET).key("kept")))
          .isInstanceOf(SdkClientException.class);
      SERVERS.s3().start();

      assertThat(s3.headObject(b -> b.bucket(S3ProxyServer.BUCKET).key("kept")).contentLength()).isEqualTo(1);
    }
  }
}
