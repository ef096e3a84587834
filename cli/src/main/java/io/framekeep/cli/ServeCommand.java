package io.framekeep.cli;

import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.ServiceLimits;
import io.framekeep.server.auth.Credential;
import io.framekeep.server.auth.CredentialsFile;
import io.framekeep.server.memory.MemoryBudget;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
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

  @Option(names = "--public-url", defaultValue = "${env:FRAMEKEEP_PUBLIC_URL}",
      description = "Base URL clients should use, returned by GetDataEndpoint"
          + " (env FRAMEKEEP_PUBLIC_URL; default http://HOST:PORT).")
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

  @Override
  public Integer call() throws Exception {
    validate();
    boolean generated = !noAuth && accessKeyId == null && !CredentialsFile.exists(dataDir);
    ServiceLimits aws = ServiceLimits.awsDefaults();
    ServerConfig config = new ServerConfig(host, port, dataDir, publicUrl, accessKeyId,
        secretAccessKey, noAuth, region, ServerConfig.DEFAULT_ACCOUNT_ID,
        aws.withClipCaps(maxClipFragments, maxClipBytes).withFragmentQuotas(!noQuotas,
            quotaMetadataPoints, quotaMediaPoints).withMemoryBudgetBytes(
            memoryBudgetBytes > 0 ? memoryBudgetBytes : MemoryBudget.defaultBytes()),
        Clock.systemUTC()).withPermissionsFile(permissionsFile);
    FramekeepServer server = FramekeepServer.start(config);
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
    out.println("Framekeep listening on " + server.baseUrl());
    out.flush();
    stopped.await();
    return 0;
  }

  private void validate() {
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
    if (maxClipFragments < 1 || maxClipBytes < 1) {
      throw new ParameterException(spec.commandLine(),
          "--max-clip-fragments and --max-clip-bytes must be positive");
    }
  }

  private void printCredential(PrintStream out, FramekeepServer server, boolean generated) {
    Credential c = server.credential();
    if (c == null) {
      out.println("Signatures are not checked (--no-auth): any credentials work.");
      return;
    }
    if (accessKeyId != null) {
      out.println("Requests must be signed with access key " + c.accessKeyId() + ".");
      return;
    }
    out.println((generated ? "Created" : "Using") + " the server credential in "
        + dataDir.resolve(CredentialsFile.FILE_NAME) + ". Use it with:");
    out.println("  export AWS_ACCESS_KEY_ID=" + c.accessKeyId());
    out.println("  export AWS_SECRET_ACCESS_KEY=" + c.secretAccessKey());
    out.println("  export AWS_DEFAULT_REGION=" + region);
    out.println("or: aws configure set aws_access_key_id " + c.accessKeyId()
        + " && aws configure set aws_secret_access_key " + c.secretAccessKey());
  }
}
