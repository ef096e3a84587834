package io.framekeep.storage.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {

  private static final Map<String, String> REQUIRED = Map.of(
      "database-url", "jdbc:postgresql://db:5432/framekeep", "s3-bucket", "media");

  @Test
  void from_requiredFlagsOnly_appliesDefaults() {
    ClusterConfig config = ClusterConfig.from(REQUIRED, Map.of());

    assertThat(config.s3Region()).isEqualTo("us-east-1");
    assertThat(config.s3Endpoint()).isNull();
    assertThat(config.s3PathStyle()).isFalse();
    assertThat(config.s3AccessKeyId()).isNull();
    assertThat(config.flushIntervalMs()).isEqualTo(250);
    assertThat(config.flushBytes()).isEqualTo(8L << 20);
    assertThat(config.leaseTtlMs()).isEqualTo(10_000);
    assertThat(config.nodeId()).matches("node-[0-9a-f]{8}");
    assertThat(config.cacheDir()).isNull();
    assertThat(config.cacheSizeBytes()).isEqualTo(4L << 30);
    assertThat(config.cacheEnabled()).isFalse();
    ClusterConfig defaulted = config.withDefaultCacheDir(Path.of("/data"));
    assertThat(defaulted.cacheDir()).isEqualTo(Path.of("/data/object-cache"));
    assertThat(defaulted.cacheEnabled()).isTrue();
  }

  @Test
  void from_environmentOnly_readsFramekeepVariables() {
    Map<String, String> env = new HashMap<>();
    env.put("FRAMEKEEP_DATABASE_URL", "jdbc:postgresql://db/fk");
    env.put("FRAMEKEEP_S3_BUCKET", "b");
    env.put("FRAMEKEEP_S3_ENDPOINT", "http://127.0.0.1:9000");
    env.put("FRAMEKEEP_S3_PATH_STYLE", "true");
    env.put("FRAMEKEEP_S3_REGION", "eu-west-1");
    env.put("FRAMEKEEP_FLUSH_INTERVAL_MS", "100");
    env.put("FRAMEKEEP_FLUSH_BYTES", "1048576");
    env.put("FRAMEKEEP_CACHE_DIR", "/var/cache/fk");
    env.put("FRAMEKEEP_CACHE_SIZE", "100000000");

    ClusterConfig config = ClusterConfig.from(Map.of(), env);

    assertThat(config.s3Endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
    assertThat(config.s3PathStyle()).isTrue();
    assertThat(config.s3Region()).isEqualTo("eu-west-1");
    assertThat(config.flushIntervalMs()).isEqualTo(100);
    assertThat(config.flushBytes()).isEqualTo(1 << 20);
    assertThat(config.cacheDir()).isEqualTo(Path.of("/var/cache/fk"));
    assertThat(config.cacheSizeBytes()).isEqualTo(100_000_000);
    assertThat(config.cacheEnabled()).isTrue();
    assertThat(config.withDefaultCacheDir(Path.of("/data")).cacheDir()).as("given: kept")
        .isEqualTo(Path.of("/var/cache/fk"));
    assertThat(ClusterConfig.from(with("cache-size", "0"), env).cacheEnabled()).isFalse();
  }

  @Test
  void from_flagAndVariable_flagWins() {
    Map<String, String> flags = new HashMap<>(REQUIRED);
    flags.put("s3-path-style", "");

    ClusterConfig config = ClusterConfig.from(flags,
        Map.of("FRAMEKEEP_S3_BUCKET", "other", "FRAMEKEEP_S3_PATH_STYLE", "false"));

    assertThat(config.s3Bucket()).isEqualTo("media");
    assertThat(config.s3PathStyle()).isTrue();
  }

  @Test
  void from_badValues_nameTheFlag() {
    assertThatThrownBy(() -> ClusterConfig.from(Map.of("s3-bucket", "b"), Map.of()))
        .hasMessageContaining("--database-url");
    assertThatThrownBy(() -> ClusterConfig.from(Map.of("database-url", "jdbc:postgresql://x/y"), Map.of()))
        .hasMessageContaining("--s3-bucket");
    assertThatThrownBy(() -> ClusterConfig.from(with("flush-interval-ms", "soon"), Map.of()))
        .hasMessageContaining("--flush-interval-ms");
    assertThatThrownBy(() -> ClusterConfig.from(with("flush-bytes", "0"), Map.of()))
        .hasMessageContaining("--flush-bytes");
    assertThatThrownBy(() -> ClusterConfig.from(with("s3-endpoint", "ftp://x"), Map.of()))
        .hasMessageContaining("--s3-endpoint");
    assertThatThrownBy(() -> ClusterConfig.from(with("s3-path-style", "maybe"), Map.of()))
        .hasMessageContaining("--s3-path-style");
    assertThatThrownBy(() -> ClusterConfig.from(with("s3-access-key-id", "AKIA"), Map.of()))
        .hasMessageContaining("--s3-secret-access-key");
    assertThatThrownBy(() -> ClusterConfig.from(with("node-id", "a/b"), Map.of()))
        .hasMessageContaining("--node-id");
    assertThatThrownBy(() -> ClusterConfig.from(with("cache-size", "10"), Map.of()))
        .hasMessageContaining("--cache-size");
    assertThatThrownBy(() -> ClusterConfig.from(with("cache-size", "-1"), Map.of()))
        .hasMessageContaining("--cache-size");
  }

  @Test
  void toString_secrets_areNotPrinted() {
    Map<String, String> flags = new HashMap<>(REQUIRED);
    flags.put("database-url", "jdbc:postgresql://db/fk?user=u&password=hunter2");
    flags.put("database-password", "hunter3");
    flags.put("s3-access-key-id", "AKIAEXAMPLE");
    flags.put("s3-secret-access-key", "wJalrXUtnFEMI");

    String printed = ClusterConfig.from(flags, Map.of()).toString();

    assertThat(printed).doesNotContain("hunter2", "hunter3", "wJalrXUtnFEMI").contains("AKIAEXAMPLE");
  }

  private static Map<String, String> with(String flag, String value) {
    Map<String, String> flags = new HashMap<>(REQUIRED);
    flags.put(flag, value);
    return flags;
  }

  @Test
  void from_maintenanceFlags_parsedWithDefaultsAndChecked() {
    assertThat(ClusterConfig.from(REQUIRED, Map.of()).maintenance()).isEqualTo(MaintenanceConfig.DEFAULTS);
    Map<String, String> flags = new HashMap<>(REQUIRED);
    flags.put("compact-interval-ms", "0");
    flags.put("compact-target-bytes", "2097152");
    MaintenanceConfig maintenance = ClusterConfig.from(flags,
        Map.of("FRAMEKEEP_COLLECT_GRACE_MS", "1000", "FRAMEKEEP_ORPHAN_SETTLE_MS", "2000",
            "FRAMEKEEP_COMPACT_MIN_AGE_MS", "3000")).maintenance();
    assertThat(maintenance).isEqualTo(new MaintenanceConfig(0, 3000, 2L << 20, 1000, 2000));
    assertThat(maintenance.enabled()).isFalse();

    flags.put("compact-target-bytes", "1000");
    assertThatThrownBy(() -> ClusterConfig.from(flags, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--compact-target-bytes");
    flags.put("compact-target-bytes", "2097152");
    flags.put("collect-grace-ms", "-1");
    assertThatThrownBy(() -> ClusterConfig.from(flags, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--collect-grace-ms");
  }
}
