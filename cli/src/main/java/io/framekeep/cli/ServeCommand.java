package io.framekeep.cli;

import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.ServiceLimits;
import io.framekeep.server.StorageBackend;
import io.framekeep.server.auth.Credential;
import io.framekeep.server.http.ConnectionLimits;
import io.framekeep.server.auth.CredentialsFile;
import io.framekeep.server.tls.SelfSignedCertificates;
import io.framekeep.server.tls.TlsOptions;
import io.framekeep.server.warmup.ServerWarmUp;
import io.framekeep.server.memory.MemoryBudget;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code framekeep serve}: runs the server in the foreground until SIGTERM or Ctrl-C. Prints
 * {@code Framekeep listening on URL} on standard output once requests can be made; logs go to
 * standard error. Every option also reads an environment variable (named in its help).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the server in the foreground (stop with Ctrl-C or SIGTERM).")
public final class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--host", defaultValue = "${env:FRAMEKEEP_HOST:-127.0.0.1}",
      description = "Address to listen on (env FRAMEKEEP_HOST; default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "${env:FRAMEKEEP_PORT:-8567}",
      description = "TCP port (env FRAMEKEEP_PORT; default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data-dir", defaultValue = "${env:FRAMEKEEP_DATA_DIR:-./data}",
      description = "Directory for the catalogue, index and media segments"
          + " (env FRAMEKEEP_DATA_DIR; default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--storage", defaultValue = "${env:FRAMEKEEP_STORAGE:-embedded}",
      description = "Storage backend: embedded (segment files and SQLite under --data-dir) or"
          + " cluster (S3-compatible object storage and PostgreSQL; settings under Cluster"
          + " storage)"
          + " (env FRAMEKEEP_STORAGE; default ${DEFAULT-VALUE}).")
  String storage;

  @Option(names = "--public-url", defaultValue = "${env:FRAMEKEEP_PUBLIC_URL}",
      description = "Base URL clients should use, returned by GetDataEndpoint and in HLS/DASH"
          + " session URLs to clients of --port (env FRAMEKEEP_PUBLIC_URL; default"
          + " http://HOST:PORT, or https:// when --port speaks TLS). Clients of --tls-port get"
          + " https://HOST:TLS_PORT.")
  String publicUrl;

  @Option(names = "--access-key-id", defaultValue = "${env:FRAMEKEEP_ACCESS_KEY_ID}",
      description = "Access key id requests must be signed with (env FRAMEKEEP_ACCESS_KEY_ID;"
          + " default: generated on first start and kept in DATA_DIR/credentials).")
  String accessKeyId;

  @Option(names = "--secret-access-key", defaultValue = "${env:FRAMEKEEP_SECRET_ACCESS_KEY}",
      description = "Its secret key (env FRAMEKEEP_SECRET_ACCESS_KEY).")
  String secretAccessKey;

  @Option(names = "--no-auth", defaultValue = "${env:FRAMEKEEP_NO_AUTH:-false}",
      description = "Accept unsigned requests (env FRAMEKEEP_NO_AUTH=true).")
  boolean noAuth;

  @Option(names = "--region", defaultValue = "${env:FRAMEKEEP_REGION:-us-east-1}",
      description = "Region written into stream ARNs (env FRAMEKEEP_REGION; default"
          + " ${DEFAULT-VALUE}). Requests signed for any region are accepted.")
  String region;

  @Option(names = "--max-clip-fragments",
      defaultValue = "${env:FRAMEKEEP_MAX_CLIP_FRAGMENTS:-200}",
      description = "GetClip includes at most this many fragments (env"
          + " FRAMEKEEP_MAX_CLIP_FRAGMENTS; default ${DEFAULT-VALUE}, as AWS).")
  int maxClipFragments;

  @Option(names = "--max-clip-bytes", defaultValue = "${env:FRAMEKEEP_MAX_CLIP_BYTES:-104857600}",
      description = "GetClip stops before the media passes this many bytes (env"
          + " FRAMEKEEP_MAX_CLIP_BYTES; default ${DEFAULT-VALUE} = 100 MiB, as AWS).")
  long maxClipBytes;

  @Option(names = "--permissions", defaultValue = "${env:FRAMEKEEP_PERMISSIONS}",
      description = "JSON file giving further credentials permission to actions on streams"
          + " (env FRAMEKEEP_PERMISSIONS; see the README).")
  Path permissionsFile;

  @Option(names = "--no-quotas", defaultValue = "${env:FRAMEKEEP_NO_QUOTAS:-false}",
      description = "Switch off AWS's per-stream fragment quotas (10,000 metadata and 500 media"
          + " points per second) that GetClip, ListFragments and the playback APIs consume, and"
          + " AWS's request rates (GetMedia, session URLs, playback requests per session) and"
          + " per-stream PutMedia rates (5 fragments/s, 12.5 MB/s; faster uploads are slowed down)"
          + " (env FRAMEKEEP_NO_QUOTAS=true).")
  boolean noQuotas;

  @Option(names = "--no-warm-up", defaultValue = "${env:FRAMEKEEP_NO_WARM_UP:-false}",
      description = "Do not warm the request path at start (a scratch server on a temporary"
          + " directory and a loopback port, driven by a few seconds of uploads and reads, then"
          + " removed; it stops as soon as clients arrive) (env FRAMEKEEP_NO_WARM_UP=true; also"
          + " -Dframekeep.warmUp=false).")
  boolean noWarmUp;

  @Option(names = "--memory-budget-bytes",
      defaultValue = "${env:FRAMEKEEP_MEMORY_BUDGET_BYTES:-0}",
      description = "Heap bytes all connections together may make the server hold (request bodies"
          + " waiting, PutMedia headers and frame tables being parsed, unsent acks); once spent,"
          + " connections stop being read until it frees (env FRAMEKEEP_MEMORY_BUDGET_BYTES;"
          + " default 0 = a quarter of the maximum heap, -Xmx).")
  long memoryBudgetBytes;

  @Option(names = "--quota-metadata-points",
      defaultValue = "${env:FRAMEKEEP_QUOTA_METADATA_POINTS:-10000}",
      description = "Fragment-metadata points per stream per second (env"
          + " FRAMEKEEP_QUOTA_METADATA_POINTS; default ${DEFAULT-VALUE}, as AWS).")
  int quotaMetadataPoints;

  @Option(names = "--quota-media-points",
      defaultValue = "${env:FRAMEKEEP_QUOTA_MEDIA_POINTS:-500}",
      description = "Fragment-media points per stream per second (env"
          + " FRAMEKEEP_QUOTA_MEDIA_POINTS; default ${DEFAULT-VALUE}, as AWS).")
  int quotaMediaPoints;

  @Option(names = "--request-head-timeout-ms",
      defaultValue = "${env:FRAMEKEEP_REQUEST_HEAD_TIMEOUT_MS:-30000}",
      description = "Close a connection whose request line and headers are not complete this"
          + " long after their first byte (env FRAMEKEEP_REQUEST_HEAD_TIMEOUT_MS; default"
          + " ${DEFAULT-VALUE}).")
  long requestHeadTimeoutMs;

  @Option(names = "--request-body-idle-timeout-ms",
      defaultValue = "${env:FRAMEKEEP_REQUEST_BODY_IDLE_TIMEOUT_MS:-30000}",
      description = "Close a connection whose JSON request body is silent this long; PutMedia"
          + " keeps AWS's 30 s idle rule (env FRAMEKEEP_REQUEST_BODY_IDLE_TIMEOUT_MS; default"
          + " ${DEFAULT-VALUE}).")
  long requestBodyIdleTimeoutMs;

  @Option(names = "--keep-alive-idle-timeout-ms",
      defaultValue = "${env:FRAMEKEEP_KEEP_ALIVE_IDLE_TIMEOUT_MS:-75000}",
      description = "Close a kept-alive connection with no new request this long after the last"
          + " response (env FRAMEKEEP_KEEP_ALIVE_IDLE_TIMEOUT_MS; default ${DEFAULT-VALUE}).")
  long keepAliveIdleTimeoutMs;

  @Option(names = "--max-connections",
      defaultValue = "${env:FRAMEKEEP_MAX_CONNECTIONS:-10000}",
      description = "Connections open at once; more are closed as soon as accepted (env"
          + " FRAMEKEEP_MAX_CONNECTIONS; default ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(names = "--tls-cert", defaultValue = "${env:FRAMEKEEP_TLS_CERT}",
      description = "PEM certificate chain (leaf first) to serve HTTPS with; with --tls-key."
          + " Reloaded when the file changes (env FRAMEKEEP_TLS_CERT).")
  Path tlsCert;

  @Option(names = "--tls-key", defaultValue = "${env:FRAMEKEEP_TLS_KEY}",
      description = "Its PEM private key: PKCS#8, RSA or EC as openssl writes them, unencrypted."
          + " Reloaded when the file changes (env FRAMEKEEP_TLS_KEY).")
  Path tlsKey;

  @Option(names = "--tls-self-signed", defaultValue = "${env:FRAMEKEEP_TLS_SELF_SIGNED:-false}",
      description = "Serve HTTPS with a self-signed certificate for localhost and 127.0.0.1,"
          + " generated once into DATA_DIR/tls/ (point clients' CA bundle at its"
          + " self-signed-cert.pem) (env FRAMEKEEP_TLS_SELF_SIGNED=true).")
  boolean tlsSelfSigned;

  @Option(names = "--tls-port", defaultValue = "${env:FRAMEKEEP_TLS_PORT}",
      description = "Serve HTTPS on this port and plain HTTP on --port. Without it, a TLS"
          + " certificate makes --port itself HTTPS (env FRAMEKEEP_TLS_PORT).")
  Integer tlsPort;

  @Option(names = "--tls-provider", defaultValue = "${env:FRAMEKEEP_TLS_PROVIDER:-AUTO}",
      description = "TLS implementation: AUTO (BoringSSL through Netty's native library when it"
          + " loads, else the JDK's), OPENSSL or JDK (env FRAMEKEEP_TLS_PROVIDER; default"
          + " ${DEFAULT-VALUE}).")
  TlsOptions.Provider tlsProvider;
  @picocli.CommandLine.ArgGroup(exclusive = false, heading = "%nCluster storage (--storage cluster;"
      + " each also from FRAMEKEEP_<NAME>, e.g. FRAMEKEEP_S3_BUCKET):%n")
  ClusterOptions cluster = new ClusterOptions();

  /**
   * The settings of {@code --storage cluster}, handed to the backend as they are
   * ({@link ServerConfig#storageSettings()}); the backend checks them and reads the
   * {@code FRAMEKEEP_*} variable of each one absent.
   */
  static final class ClusterOptions {
    @Option(names = "--database-url", description = "jdbc:postgresql://HOST:PORT/DB (required).")
    String databaseUrl;

    @Option(names = "--database-user", description = "PostgreSQL user.")
    String databaseUser;

    @Option(names = "--database-password", description = "PostgreSQL password.")
    String databasePassword;

    @Option(names = "--s3-endpoint",
        description = "URL of an S3-compatible store (default: AWS S3 of --s3-region).")
    String s3Endpoint;

    @Option(names = "--s3-bucket", description = "Bucket for media objects (required).")
    String s3Bucket;

    @Option(names = "--s3-region", description = "Bucket region (default us-east-1).")
    String s3Region;

    @Option(names = "--s3-path-style", arity = "0..1", fallbackValue = "true",
        description = "Path-style addressing (MinIO, S3Proxy, Ceph without wildcard DNS).")
    String s3PathStyle;

    @Option(names = "--s3-access-key-id",
        description = "Key for the bucket (default: the AWS default credentials chain).")
    String s3AccessKeyId;

    @Option(names = "--s3-secret-access-key", description = "Its secret.")
    String s3SecretAccessKey;

    @Option(names = "--node-id", description = "This node's id (default: random per process).")
    String nodeId;

    @Option(names = "--flush-interval-ms",
        description = "Flush a node's batch at least this often (default 250).")
    String flushIntervalMs;

    @Option(names = "--flush-bytes", description = "...or once it holds this many bytes"
        + " (default 8388608).")
    String flushBytes;

    @Option(names = "--lease-ttl-ms",
        description = "Stream ownership lease, renewed every third of it (default 10000).")
    String leaseTtlMs;

    @Option(names = "--compact-interval-ms", description = "Compact and collect objects this"
        + " often; 0 = not on this node (default 60000).")
    String compactIntervalMs;

    @Option(names = "--compact-min-age-ms", description = "Compact shared objects once this old"
        + " (default 900000).")
    String compactMinAgeMs;

    @Option(names = "--compact-target-bytes", description = "Size of the per-stream objects"
        + " compaction writes (default 67108864).")
    String compactTargetBytes;

    @Option(names = "--collect-grace-ms", description = "Delete an object this long after nothing"
        + " points into it (default 900000).")
    String collectGraceMs;

    @Option(names = "--orphan-settle-ms", description = "Delete an object whose commit never"
        + " happened this long after its upload began (default 3600000).")
    String orphanSettleMs;
    @Option(names = "--cache-dir", description = "Local cache of object blocks (default: object-cache"
        + " in --data-dir; wiped at start).")
    String cacheDir;

    @Option(names = "--cache-size", description = "Its bound in bytes (default 4294967296; 0 disables"
        + " it).")
    String cacheSize;

    /** The options given, by flag name without dashes. */
    Map<String, String> given() {
      Map<String, String> flags = new LinkedHashMap<>();
      put(flags, "database-url", databaseUrl);
      put(flags, "database-user", databaseUser);
      put(flags, "database-password", databasePassword);
      put(flags, "s3-endpoint", s3Endpoint);
      put(flags, "s3-bucket", s3Bucket);
      put(flags, "s3-region", s3Region);
      put(flags, "s3-path-style", s3PathStyle);
      put(flags, "s3-access-key-id", s3AccessKeyId);
      put(flags, "s3-secret-access-key", s3SecretAccessKey);
      put(flags, "node-id", nodeId);
      put(flags, "flush-interval-ms", flushIntervalMs);
      put(flags, "flush-bytes", flushBytes);
      put(flags, "lease-ttl-ms", leaseTtlMs);
      put(flags, "compact-interval-ms", compactIntervalMs);
      put(flags, "compact-min-age-ms", compactMinAgeMs);
      put(flags, "compact-target-bytes", compactTargetBytes);
      put(flags, "collect-grace-ms", collectGraceMs);
      put(flags, "orphan-settle-ms", orphanSettleMs);
      put(flags, "cache-dir", cacheDir);
      put(flags, "cache-size", cacheSize);
      return flags;
    }

    private static void put(Map<String, String> flags, String name, String value) {
      if (value != null) {
        flags.put(name, value);
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    StorageBackend backend = validate();
    boolean generated = !noAuth && accessKeyId == null && !CredentialsFile.exists(dataDir);
    ServiceLimits aws = ServiceLimits.awsDefaults();
    ServerConfig config = new ServerConfig(host, port, dataDir, publicUrl, accessKeyId,
        secretAccessKey, noAuth, region, ServerConfig.DEFAULT_ACCOUNT_ID,
        aws.withClipCaps(maxClipFragments, maxClipBytes).withFragmentQuotas(!noQuotas,
            quotaMetadataPoints, quotaMediaPoints).withMemoryBudgetBytes(
            memoryBudgetBytes > 0 ? memoryBudgetBytes : MemoryBudget.defaultBytes()),
        Clock.systemUTC()).withPermissionsFile(permissionsFile)
        .withConnections(ConnectionLimits.defaults()
            .withTimeouts(requestHeadTimeoutMs, requestBodyIdleTimeoutMs, keepAliveIdleTimeoutMs)
            .withMaxConnections(maxConnections))
        .withTls(tlsOptions())
        .withStorageSettings(clusterSettings());
    FramekeepServer server = FramekeepServer.start(config, backend);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (Exception e) {
        System.err.println("shutdown failed: " + e);
      } finally {
        stopped.countDown();
      }
    }, "framekeep-shutdown"));
    PrintStream out = System.out;
    printCredential(out, server, generated);
    if (tlsSelfSigned) {
      out.println("HTTPS uses the self-signed certificate " + dataDir.resolve(
          SelfSignedCertificates.DIRECTORY).resolve(SelfSignedCertificates.CERT_FILE)
          + ": give it to clients as their CA bundle (aws --ca-bundle, boto3 verify=).");
    }
    out.println("Framekeep listening on " + server.baseUrl());
    if (server.tlsPort() > 0) {
      out.println("Framekeep listening on " + server.tlsBaseUrl());
    }
    out.println("Web console: " + server.baseUrl() + "/ (sign in with the access key and secret)");
    out.flush();
    if (!noWarmUp) {
      ServerWarmUp.startInBackground(server); // after listening: start-up is not lengthened
    }
    stopped.await();
    return 0;
  }

  /** The TLS flags as options, or null when no certificate flag was given (plain HTTP). */
  private TlsOptions tlsOptions() {
    if (!tlsSelfSigned && tlsCert == null) {
      return null;
    }
    TlsOptions options = tlsSelfSigned ? TlsOptions.generatedSelfSigned()
        : TlsOptions.pem(tlsCert, tlsKey);
    options = options.withProvider(tlsProvider);
    return tlsPort == null ? options : options.onPort(tlsPort);
  }

  private Map<String, String> clusterSettings() {
    return cluster == null ? Map.of() : cluster.given();
  }

  /** Checks the options together; returns the chosen storage backend. */
  private StorageBackend validate() {
    StorageBackend backend = StorageBackend.named(storage).orElseThrow(() ->
        new ParameterException(spec.commandLine(), "--storage must be "
            + StorageBackend.EMBEDDED.flagValue() + " or " + StorageBackend.CLUSTER.flagValue()
            + ", not " + storage));
    if (backend == StorageBackend.CLUSTER) {
      try {
        StorageBackend.checkClusterSettings(clusterSettings(), System.getenv());
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    if (backend == StorageBackend.EMBEDDED && cluster != null && !cluster.given().isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--" + cluster.given().keySet().iterator()
          .next() + " is a setting of --storage cluster; the embedded backend has none");
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
    }
    if (tlsSelfSigned && tlsCert != null) {
      throw new ParameterException(spec.commandLine(),
          "--tls-self-signed cannot be combined with --tls-cert");
    }
    if (tlsPort != null && !tlsSelfSigned && tlsCert == null) {
      throw new ParameterException(spec.commandLine(),
          "--tls-port needs a certificate: --tls-cert and --tls-key, or --tls-self-signed");
    }
    if (tlsPort != null && (tlsPort < 0 || tlsPort > 65535)) {
      throw new ParameterException(spec.commandLine(), "--tls-port must be 0..65535");
    }
    if (memoryBudgetBytes < 0) {
      throw new ParameterException(spec.commandLine(), "--memory-budget-bytes must not be negative");
    }
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new ParameterException(spec.commandLine(),
          "--access-key-id and --secret-access-key go together");
    }
    if (noAuth && accessKeyId != null) {
      throw new ParameterException(spec.commandLine(),
          "--no-auth cannot be combined with --access-key-id");
    }
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be 0..65535");
    }
    if (noAuth && permissionsFile != null) {
      throw new ParameterException(spec.commandLine(),
          "--permissions needs signatures: it cannot be combined with --no-auth");
    }
    if (quotaMetadataPoints < 1 || quotaMediaPoints < 1) {
      throw new ParameterException(spec.commandLine(),
          "--quota-metadata-points and --quota-media-points must be positive");
    }
    if (requestHeadTimeoutMs < 1 || requestBodyIdleTimeoutMs < 1 || keepAliveIdleTimeoutMs < 1
        || maxConnections < 1) {
      throw new ParameterException(spec.commandLine(),
          "the timeouts and --max-connections must be positive");
    }
    if (maxClipFragments < 1 || maxClipBytes < 1) {
      throw new ParameterException(spec.commandLine(),
          "--max-clip-fragments and --max-clip-bytes must be positive");
    }
    return backend;
  }

  private void printCredential(PrintStream out, FramekeepServer server, boolean generated) {
    printCredential(out, server.credential(), accessKeyId != null, generated, dataDir, region);
  }

  /**
   * Tells the user how to sign requests. The generated secret is printed once, when it is created
   * (a fresh data directory, as {@code it/e2e/run.sh} reads the export lines); on later starts only
   * the access key and the file that keeps the secret are printed, so logs of every restart do not
   * carry it.
   */
  static void printCredential(PrintStream out, Credential c, boolean configured, boolean generated,
      Path dataDir, String region) {
    if (c == null) {
      out.println("Signatures are not checked (--no-auth): any credentials work.");
      return;
    }
    if (configured) {
      out.println("Requests must be signed with access key " + c.accessKeyId() + ".");
      return;
    }
    Path file = dataDir.resolve(CredentialsFile.FILE_NAME);
    if (!generated) {
      out.println("Using the server credential in " + file + ": access key " + c.accessKeyId()
          + ", its secret in that file (aws_secret_access_key). Use it with:");
      out.println("  export AWS_ACCESS_KEY_ID=" + c.accessKeyId());
      out.println("  export AWS_SECRET_ACCESS_KEY=\"$(sed -n 's/^aws_secret_access_key=//p' '"
          + file.toAbsolutePath() + "')\"");
      out.println("  export AWS_DEFAULT_REGION=" + region);
      return;
    }
    out.println("Created the server credential in " + file + ". Use it with:");
    out.println("  export AWS_ACCESS_KEY_ID=" + c.accessKeyId());
    out.println("  export AWS_SECRET_ACCESS_KEY=" + c.secretAccessKey());
    out.println("  export AWS_DEFAULT_REGION=" + region);
    out.println("or: aws configure set aws_access_key_id " + c.accessKeyId()
        + " && aws configure set aws_secret_access_key " + c.secretAccessKey());
  }
}
