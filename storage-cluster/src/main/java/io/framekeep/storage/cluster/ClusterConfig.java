package io.framekeep.storage.cluster;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Settings of the cluster storage backend, from {@code serve} flags and {@code FRAMEKEEP_*} environment
 * variables ({@link #from}). Each setting has a flag {@code --name} and a variable {@code FRAMEKEEP_NAME}
 * (upper case, dashes as underscores); a flag wins over the variable.
 *
 * <pre>
 * --database-url URL           jdbc:postgresql://host:port/db (required)
 * --database-user, --database-password
 * --s3-bucket NAME             (required)
 * --s3-endpoint URL            an S3-compatible store; absent = AWS S3 of --s3-region
 * --s3-region R                default us-east-1
 * --s3-path-style              path-style addressing (MinIO, S3Proxy, Ceph without wildcard DNS)
 * --s3-access-key-id, --s3-secret-access-key   absent = the AWS default credentials chain
 * --node-id ID                 default: a random id per process
 * --flush-interval-ms N        default 250
 * --flush-bytes N              default 8 MiB
 * --lease-ttl-ms N             default 10000
 * --cache-dir DIR             the local cache of object blocks; default: object-cache in the node's data dir
 * --cache-size BYTES          its bound, default 4 GiB; 0 disables the cache
 * --compact-interval-ms, --compact-min-age-ms, --compact-target-bytes, --collect-grace-ms, --orphan-settle-ms
 *                              object maintenance ({@link MaintenanceConfig})
 * </pre>
 *
 * @param nodeId this process's identity in leases and object keys; unique per running process, since a node
 *     may re-acquire its own leases ({@link StreamLeases}); letters, digits, '.', '_' and '-' only
 * @param flushIntervalMs a batch is flushed at the latest this long after its first fragment arrived
 * @param flushBytes a batch is flushed as soon as it holds this many bytes
 * @param leaseTtlMs how long a stream lease lasts unless renewed: after a node dies its streams can be taken
 *     over after at most this long
 * @param cacheDir the directory of the local block cache ({@link CachingObjectStore}); null for the default
 *     place, which the server fills in ({@link #withDefaultCacheDir}); a configuration opened with none has no cache
 * @param cacheSizeBytes upper bound of the cache's block files; 0 disables the cache
 * @param maintenance compaction and collection of objects
 */
public record ClusterConfig(
    String databaseUrl,
    String databaseUser,
    String databasePassword,
    URI s3Endpoint,
    String s3Bucket,
    String s3Region,
    boolean s3PathStyle,
    String s3AccessKeyId,
    String s3SecretAccessKey,
    String nodeId,
    long flushIntervalMs,
    long flushBytes,
    long leaseTtlMs,
    Path cacheDir,
    long cacheSizeBytes,
    MaintenanceConfig maintenance) {

  /** 250 ms: the PERSISTED latency target is p99 500 ms; half of it waiting for a flush leaves the rest for the PUT and the commit. */
  public static final long DEFAULT_FLUSH_INTERVAL_MS = 250;

  /** 8 MiB: at 200 streams of 4 Mbit/s (100 MB/s per node) a flush every 80 ms, few enough PUTs, small enough objects to upload in well under the interval. */
  public static final long DEFAULT_FLUSH_BYTES = 8L << 20;

  /** 10 s: producers of a dead node reconnect elsewhere within this; renewals every third of it ride over a PostgreSQL failover. */
  public static final long DEFAULT_LEASE_TTL_MS = 10_000;

  /** 1 ms: below this the flush loop would spin; a PUT takes longer anyway. */
  static final long MIN_FLUSH_INTERVAL_MS = 1;

  /** 50 MiB, one maximal fragment: a smaller flush size still flushes one fragment per object. */
  static final long MAX_FLUSH_BYTES = 50L << 20;

  /**
   * 4 GiB: about an hour of 10 streams at 1 MB/s of clip reads kept hot, small next to a node's disk; the
   * cache is a bounded copy of the bucket, so its size only trades disk for GETs.
   */
  public static final long DEFAULT_CACHE_SIZE_BYTES = 4L << 30;

  public static final String DEFAULT_REGION = "us-east-1";

  /** The cache's directory inside the node's data directory when {@code --cache-dir} is not given. */
  public static final String DEFAULT_CACHE_DIRECTORY = "object-cache";

  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public ClusterConfig {
    require(databaseUrl != null && databaseUrl.startsWith("jdbc:postgresql:"),
        "--database-url must be a jdbc:postgresql: URL, got " + databaseUrl);
    require(s3Bucket != null && !s3Bucket.isBlank(), "--s3-bucket is required");
    require(s3Region != null && !s3Region.isBlank(), "--s3-region must not be empty");
    require((s3AccessKeyId == null) == (s3SecretAccessKey == null),
        "--s3-access-key-id and --s3-secret-access-key go together");
    require(nodeId != null && NODE_ID.matcher(nodeId).matches(),
        "--node-id must be 1-64 letters, digits, '.', '_' or '-', got " + nodeId);
    require(flushIntervalMs >= MIN_FLUSH_INTERVAL_MS, "--flush-interval-ms must be at least 1: " + flushIntervalMs);
    require(flushBytes > 0 && flushBytes <= MAX_FLUSH_BYTES,
        "--flush-bytes must be in 1.." + MAX_FLUSH_BYTES + ": " + flushBytes);
    require(leaseTtlMs > 0, "--lease-ttl-ms must be positive: " + leaseTtlMs);
    require(maintenance != null, "maintenance settings are required");
    require(cacheSizeBytes == 0 || cacheSizeBytes >= CachingObjectStore.MIN_CACHE_BYTES,
        "--cache-size must be 0 (no cache) or at least " + CachingObjectStore.MIN_CACHE_BYTES + " bytes: "
            + cacheSizeBytes);
  }

  /**
   * The configuration from flags (keys without the leading dashes, e.g. {@code "s3-bucket"}; a boolean flag
   * present with value "" or "true") and environment variables ({@code FRAMEKEEP_S3_BUCKET}).
   *
   * @throws IllegalArgumentException naming the flag when a value is missing or malformed
   */
  public static ClusterConfig from(Map<String, String> flags, Map<String, String> env) {
    Settings s = new Settings(flags, env);
    return new ClusterConfig(
        s.get("database-url").orElse(null),
        s.get("database-user").orElse(null),
        s.get("database-password").orElse(null),
        s.get("s3-endpoint").map(ClusterConfig::endpoint).orElse(null),
        s.get("s3-bucket").orElse(null),
        s.get("s3-region").orElse(DEFAULT_REGION),
        s.bool("s3-path-style"),
        s.get("s3-access-key-id").orElse(null),
        s.get("s3-secret-access-key").orElse(null),
        s.get("node-id").orElse("node-" + UUID.randomUUID().toString().substring(0, 8)),
        s.number("flush-interval-ms", DEFAULT_FLUSH_INTERVAL_MS),
        s.number("flush-bytes", DEFAULT_FLUSH_BYTES),
        s.number("lease-ttl-ms", DEFAULT_LEASE_TTL_MS),
        s.get("cache-dir").map(Path::of).orElse(null),
        s.number("cache-size", DEFAULT_CACHE_SIZE_BYTES),
        new MaintenanceConfig(
            s.number("compact-interval-ms", MaintenanceConfig.DEFAULT_INTERVAL_MS),
            s.number("compact-min-age-ms", MaintenanceConfig.DEFAULT_MIN_AGE_MS),
            s.number("compact-target-bytes", MaintenanceConfig.DEFAULT_TARGET_BYTES),
            s.number("collect-grace-ms", MaintenanceConfig.DEFAULT_GRACE_MS),
            s.number("orphan-settle-ms", MaintenanceConfig.DEFAULT_ORPHAN_SETTLE_MS)));
  }

  /** The environment variable of a flag: {@code s3-bucket} → {@code FRAMEKEEP_S3_BUCKET}. */
  public static String environmentVariable(String flag) {
    return "FRAMEKEEP_" + flag.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /** A copy with another node id (tests start several nodes from one configuration). */
  public ClusterConfig withNodeId(String newNodeId) {
    return new ClusterConfig(databaseUrl, databaseUser, databasePassword, s3Endpoint, s3Bucket, s3Region,
        s3PathStyle, s3AccessKeyId, s3SecretAccessKey, newNodeId, flushIntervalMs, flushBytes, leaseTtlMs,
        cacheDir, cacheSizeBytes, maintenance);
  }

  /** A copy with other maintenance settings. */
  public ClusterConfig withMaintenance(MaintenanceConfig newMaintenance) {
    return new ClusterConfig(databaseUrl, databaseUser, databasePassword, s3Endpoint, s3Bucket, s3Region,
        s3PathStyle, s3AccessKeyId, s3SecretAccessKey, nodeId, flushIntervalMs, flushBytes, leaseTtlMs,
        cacheDir, cacheSizeBytes, newMaintenance);
  }

  /**
   * This configuration, with the cache in {@link #DEFAULT_CACHE_DIRECTORY} of the node's data directory
   * when no {@code --cache-dir} was given.
   */
  public ClusterConfig withDefaultCacheDir(Path dataDir) {
    return cacheDir != null ? this : withCacheDir(dataDir.resolve(DEFAULT_CACHE_DIRECTORY));
  }

  /** A copy with the cache in {@code dir}. */
  public ClusterConfig withCacheDir(Path dir) {
    return new ClusterConfig(databaseUrl, databaseUser, databasePassword, s3Endpoint, s3Bucket, s3Region,
        s3PathStyle, s3AccessKeyId, s3SecretAccessKey, nodeId, flushIntervalMs, flushBytes, leaseTtlMs,
        dir, cacheSizeBytes, maintenance);
  }

  /** Whether reads go through a local cache: a directory and a size are set. */
  public boolean cacheEnabled() {
    return cacheDir != null && cacheSizeBytes > 0;
  }

  /** Never prints the database password or the secret key. */
  @Override
  public String toString() {
    return "ClusterConfig[databaseUrl=" + databaseUrl.replaceAll("(?i)(password=)[^&]*", "$1***")
        + ", databaseUser=" + databaseUser + ", s3Endpoint=" + s3Endpoint + ", s3Bucket=" + s3Bucket
        + ", s3Region=" + s3Region + ", s3PathStyle=" + s3PathStyle + ", s3AccessKeyId=" + s3AccessKeyId
        + ", nodeId=" + nodeId + ", flushIntervalMs=" + flushIntervalMs + ", flushBytes=" + flushBytes
        + ", leaseTtlMs=" + leaseTtlMs + ", cacheDir=" + cacheDir + ", cacheSizeBytes=" + cacheSizeBytes
        + ", maintenance=" + maintenance + "]";
  }

  private static URI endpoint(String value) {
    URI uri;
    try {
      uri = URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--s3-endpoint is not a URL: " + value, e);
    }
    require("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()),
        "--s3-endpoint must be an http:// or https:// URL, got " + value);
    return uri;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** Flag-then-environment lookup. */
  private record Settings(Map<String, String> flags, Map<String, String> env) {

    Optional<String> get(String flag) {
      String value = flags.containsKey(flag) ? flags.get(flag) : env.get(environmentVariable(flag));
      return Optional.ofNullable(value).filter(v -> !v.isEmpty());
    }

    boolean bool(String flag) {
      if (flags.containsKey(flag)) {
        String value = flags.get(flag);
        return value == null || value.isEmpty() || parseBool(flag, value);
      }
      String value = env.get(environmentVariable(flag));
      return value != null && !value.isEmpty() && parseBool(flag, value);
    }

    long number(String flag, long fallback) {
      Optional<String> value = get(flag);
      if (value.isEmpty()) {
        return fallback;
      }
      try {
        return Long.parseLong(value.get().trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + flag + " must be a whole number, got " + value.get(), e);
      }
    }

    private static boolean parseBool(String flag, String value) {
      switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "true":
        case "1":
        case "yes":
          return true;
        case "false":
        case "0":
        case "no":
          return false;
        default:
          throw new IllegalArgumentException("--" + flag + " must be true or false, got " + value);
      }
    }
  }
}
