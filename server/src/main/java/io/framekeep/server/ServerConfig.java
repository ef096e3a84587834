package io.framekeep.server;

import io.framekeep.server.http.ConnectionLimits;
import io.framekeep.server.tls.TlsOptions;
import io.framekeep.storage.StorageOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link FramekeepServer} needs to start. Built by the command line from flags and
 * environment variables, or directly by tests.
 *
 * @param host the address to listen on
 * @param port the TCP port (0 picks a free one, useful in tests)
 * @param dataDir where the catalogue, the index and the segment files live
 * @param publicUrl the base URL returned by GetDataEndpoint and HLS/DASH; null means
 *     {@code http://host:boundPort}
 * @param accessKeyId the one accepted access key (null with {@code noAuth} or to generate one)
 * @param secretAccessKey its secret
 * @param noAuth accept requests without verifying any signature
 * @param region the region written into stream ARNs
 * @param accountId the account id written into stream ARNs
 * @param limits the named service limits
 * @param clock the source of server time (server timestamps, signature expiry, retention)
 * @param storage tunables of the embedded storage engine (segment size)
 * @param permissionsFile a JSON file granting further credentials actions on streams (see
 *     {@code io.framekeep.server.auth.Permissions}), or null
 * @param connections HTTP connection timeouts and caps
 * @param tls how to serve HTTPS (on the main port, or on a port of its own beside plain HTTP);
 *     null for plain HTTP only
 * @param storageSettings settings of a backend other than the embedded one, as {@code serve} flags without
 *     their dashes ({@code "database-url" -> "jdbc:postgresql://..."}, {@code "s3-path-style" -> "true"}); the
 *     backend reads its own (with {@code FRAMEKEEP_*} variables for those absent), so the server needs no
 *     backend's types. Empty for the embedded backend.
 */
public record ServerConfig(
    String host,
    int port,
    Path dataDir,
    String publicUrl,
    String accessKeyId,
    String secretAccessKey,
    boolean noAuth,
    String region,
    String accountId,
    ServiceLimits limits,
    Clock clock,
    StorageOptions storage,
    Path permissionsFile,
    ConnectionLimits connections,
    TlsOptions tls,
    Map<String, String> storageSettings) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8567;
  public static final String DEFAULT_REGION = "us-east-1";
  /** Twelve digits, as AWS account ids are; written into every stream ARN. */
  public static final String DEFAULT_ACCOUNT_ID = "000000000000";

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(connections, "connections");
    storageSettings = Map.copyOf(Objects.requireNonNull(storageSettings, "storageSettings"));
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new IllegalArgumentException("access key id and secret access key go together");
    }
  }

  /** All but the storage options, which take {@link StorageOptions#defaults()}. */
  public ServerConfig(String host, int port, Path dataDir, String publicUrl, String accessKeyId,
      String secretAccessKey, boolean noAuth, String region, String accountId, ServiceLimits limits,
      Clock clock) {
    this(host, port, dataDir, publicUrl, accessKeyId, secretAccessKey, noAuth, region, accountId,
        limits, clock, StorageOptions.defaults(), null, ConnectionLimits.defaults(), null,
        Map.of());
  }

  /** Defaults for everything but the data directory: loopback, port 8567, generated credential. */
  public static ServerConfig defaults(Path dataDir) {
    return new ServerConfig(
        DEFAULT_HOST,
        DEFAULT_PORT,
        dataDir,
        null,
        null,
        null,
        false,
        DEFAULT_REGION,
        DEFAULT_ACCOUNT_ID,
        ServiceLimits.awsDefaults(),
        Clock.systemUTC());
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, dataDir, publicUrl, accessKeyId, secretAccessKey, noAuth,
        region, accountId, limits, clock, storage, permissionsFile, connections, tls,
        storageSettings);
  }

  public ServerConfig withCredential(String newAccessKeyId, String newSecretAccessKey) {
    return new ServerConfig(host, port, dataDir, publicUrl, newAccessKeyId, newSecretAccessKey,
        false, region, accountId, limits, clock, storage, permissionsFile, connections, tls,
        storageSettings);
  }

  public ServerConfig withNoAuth() {
    return new ServerConfig(host, port, dataDir, publicUrl, null, null, true, region, accountId,
        limits, clock, storage, permissionsFile, connections, tls,
        storageSettings);
  }

  public ServerConfig withPermissionsFile(Path file) {
    return new ServerConfig(host, port, dataDir, publicUrl, accessKeyId, secretAccessKey, noAuth,
        region, accountId, limits, clock, storage, file, connections, tls,
        storageSettings);
  }

  public ServerConfig withLimits(ServiceLimits newLimits) {
    return new ServerConfig(host, port, dataDir, publicUrl, accessKeyId, secretAccessKey, noAuth,
        region, accountId, newLimits, clock, storage, permissionsFile, connections, tls,
        storageSettings);
  }

  public ServerConfig withClock(Clock newClock) {
    return new ServerConfig(host, port, dataDir, publicUrl, accessKeyId, secretAccessKey, noAuth,
        region, accountId, limits, newClock, storage, permissionsFile, connections, tls,
        storageSettings);
  }

  public ServerConfig withConnections(ConnectionLimits newConnections) {
    return new ServerConfig(host, port, dataDir, publicUrl, accessKeyId, secretAccessKey, noAuth,
        region, accountId, limits, clock, storage, permissionsFile, newConnections, tls,
        storageSettings);
  }

  public ServerConfig withStorage(StorageOptions newStorage) {
    return new ServerConfig(host, port, dataDir, publicUrl, accessKeyId, secretAccessKey, noAuth,
        region, accountId, limits, clock, newStorage, permissionsFile, connections, tls,
        storageSettings);
  }

  public ServerConfig withTls(TlsOptions newTls) {
    return new ServerConfig(host, port, dataDir, publicUrl, accessKeyId, secretAccessKey, noAuth,
        region, accountId, limits, clock, storage, permissionsFile, connections, newTls,
        storageSettings);
  }

  public ServerConfig withStorageSettings(Map<String, String> newStorageSettings) {
    return new ServerConfig(host, port, dataDir, publicUrl, accessKeyId, secretAccessKey, noAuth,
        region, accountId, limits, clock, storage, permissionsFile, connections, tls,
        newStorageSettings);
  }
}
