package io.framekeep.it;

import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.StorageBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideomedia.KinesisVideoMediaClient;

/**
 * A {@link FramekeepServer} on a free port with a known credential and a fresh data directory,
 * plus real AWS SDK v2 clients pointed at it. Register as a static JUnit extension: the server
 * starts before the class's tests and is closed (data directory deleted) after them.
 *
 * <p>{@link #restart()} closes the server and starts a new one on the same data directory, as a
 * process restart would; clients made before it point at the old port and must be made again.
 *
 * <p>The storage backend is the embedded one unless {@code -Dframekeep.storage=cluster} asks for
 * the cluster backend ({@link ClusterUnderTest}); then each server gets a database of its own.
 *
 * <p>SDK clients do not retry, so a test sees the server's first answer. Not thread-safe: use from
 * the test thread.
 */
final class InProcessServer implements BeforeAllCallback, AfterAllCallback {
  static final String ACCESS_KEY_ID = "AKIDEXAMPLE";
  static final String SECRET_ACCESS_KEY = "secret";
  static final Region REGION = Region.US_EAST_1;

  private final UnaryOperator<ServerConfig> customizer;
  private final List<SdkClient> clients = new ArrayList<>();
  private Path dataDir;
  private boolean clientsOverHttps;
  private Map<String, String> clusterSettings;
  private FramekeepServer server;

  private InProcessServer(UnaryOperator<ServerConfig> customizer) {
    this.customizer = customizer;
  }

  /** Default limits, signatures checked against {@link #ACCESS_KEY_ID}. */
  static InProcessServer withDefaults() {
    return new InProcessServer(UnaryOperator.identity());
  }

  /** Defaults then {@code customizer}, e.g. {@code c -> c.withLimits(...)}. */
  static InProcessServer configured(UnaryOperator<ServerConfig> customizer) {
    return new InProcessServer(customizer);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dataDir = Files.createTempDirectory("framekeep-it-data-");
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    stop();
    deleteRecursively(dataDir);
  }

  /** Closes the server and starts a new one on the same data directory. */
  void restart() throws IOException, InterruptedException {
    stop();
    start();
  }

  private void start() throws IOException, InterruptedException {
    ServerConfig config = ServerConfig.defaults(dataDir)
        .withPort(0)
        .withCredential(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
    StorageBackend backend = ClusterUnderTest.backend();
    if (backend == StorageBackend.CLUSTER) {
      if (clusterSettings == null) { // a restart keeps the database, as a restarted node would
        clusterSettings = ClusterUnderTest.freshNodeSettings();
      }
      config = config.withStorageSettings(clusterSettings);
    }
    server = FramekeepServer.start(customizer.apply(config), backend);
  }

  /** The backend this server runs on ({@link ClusterUnderTest#backend()}). */
  StorageBackend backend() {
    return ClusterUnderTest.backend();
  }

  private void stop() throws IOException {
    clients.forEach(SdkClient::close);
    clients.clear();
    if (server != null) {
      server.close();
      server = null;
    }
  }

  String baseUrl() {
    return clientsOverHttps ? server.tlsBaseUrl() : server.baseUrl();
  }

  /** The plain-HTTP URL (the main port), whichever URL clients use. */
  String httpUrl() {
    return server.baseUrl();
  }

  /** The HTTPS URL, or null without TLS. */
  String httpsUrl() {
    return server.tlsBaseUrl();
  }

  FramekeepServer server() {
    return server;
  }

  /** The server's data directory. */
  Path dataDir() {
    return dataDir;
  }

  /**
   * Makes {@link #kinesisVideo()} and {@link #baseUrl()} use the HTTPS listener (a server
   * configured with TLS on a port of its own beside HTTP); returns this.
   */
  InProcessServer clientsOverHttps() {
    clientsOverHttps = true;
    return this;
  }

  /**
   * Trust managers for the server's current certificate, or null (system defaults) without TLS.
   */
  private TrustManager[] trustManagers() {
    if (server == null || server.tls() == null) {
      return null;
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("framekeep", server.tls().certificate());
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private SdkHttpClient urlConnectionClient() {
    TrustManager[] trust = trustManagers();
    return trust == null ? UrlConnectionHttpClient.create()
        : UrlConnectionHttpClient.builder().tlsTrustManagersProvider(() -> trust).build();
  }

  private SdkHttpClient apacheClient() {
    TrustManager[] trust = trustManagers();
    return trust == null ? ApacheHttpClient.create()
        : ApacheHttpClient.builder().tlsTrustManagersProvider(() -> trust).build();
  }

  /** The running server's memory budget, to check what clients made it hold. */
  io.framekeep.server.memory.MemoryBudget memoryBudget() {
    return server.memoryBudget();
  }

  static AwsCredentialsIdentity credentials() {
    return AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
  }

  /** A control-plane client with the server's credential. */
  KinesisVideoClient kinesisVideo() {
    return kinesisVideo(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
  }

  /** A control-plane client signing with any credential (for authentication tests). */
  KinesisVideoClient kinesisVideo(String accessKeyId, String secretAccessKey) {
    return kinesisVideoAt(URI.create(baseUrl()), accessKeyId, secretAccessKey);
  }

  /** A control-plane client with the server's credential on the given listener's URL. */
  KinesisVideoClient kinesisVideoAt(URI endpoint) {
    return kinesisVideoAt(endpoint, ACCESS_KEY_ID, SECRET_ACCESS_KEY);
  }

  private KinesisVideoClient kinesisVideoAt(URI endpoint, String accessKeyId,
      String secretAccessKey) {
    KinesisVideoClient client = KinesisVideoClient.builder()
        .endpointOverride(endpoint)
        .region(REGION)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
        .httpClient(urlConnectionClient())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
    clients.add(client);
    return client;
  }

  /** An archived-media client on a data endpoint returned by GetDataEndpoint. */
  KinesisVideoArchivedMediaClient archivedMedia(URI dataEndpoint) {
    return archivedMedia(dataEndpoint, ACCESS_KEY_ID, SECRET_ACCESS_KEY);
  }

  /** An archived-media client signing with any credential (for authentication tests). */
  KinesisVideoArchivedMediaClient archivedMedia(URI dataEndpoint, String accessKeyId,
      String secretAccessKey) {
    KinesisVideoArchivedMediaClient client = KinesisVideoArchivedMediaClient.builder()
        .endpointOverride(dataEndpoint)
        .region(REGION)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
        .httpClient(urlConnectionClient())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
    clients.add(client);
    return client;
  }

  /**
   * A media (GetMedia) client on a data endpoint. It uses Apache's HTTP client, whose abort()
   * cuts a long-lived body even while a reader thread is blocked in it.
   */
  KinesisVideoMediaClient media(URI dataEndpoint) {
    KinesisVideoMediaClient client = KinesisVideoMediaClient.builder()
        .endpointOverride(dataEndpoint)
        .region(REGION)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
        .httpClient(apacheClient())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
    clients.add(client);
    return client;
  }

  /** A PutMedia client with the server's credential on a data endpoint. */
  static PutMediaClient putMedia(URI dataEndpoint) {
    return new PutMediaClient(dataEndpoint, credentials(), REGION.id());
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
