package io.framekeep.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideomedia.KinesisVideoMediaClient;

/**
 * {@code framekeep serve} in a JVM of its own (its heap, its RSS, its death are its own), started
 * through the command line as a user starts it, on a free loopback port with a fresh data
 * directory and a fixed credential. Its output goes to {@code server.out} in the work directory, its
 * GC log to {@code gc.log}.
 */
final class ServerJvm implements AutoCloseable {
  static final String ACCESS_KEY_ID = "AKIDHOSTILELOAD";
  static final String SECRET_ACCESS_KEY = "hostile-load-secret";
  private static final Pattern LISTENING = Pattern.compile("Framekeep listening on (\\S+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  final Process process;
  final URI baseUrl;
  final Path output;

  private ServerJvm(Process process, URI baseUrl, Path output) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.output = output;
  }

  /**
   * Starts {@code serve} with {@code -Xmx<heap>} and the given extra flags; JVM options to add
   * (JFR, {@code -Xlog:safepoint}, ...) may be given space-separated in {@code -Dserver.jvmOptions}.
   */
  static ServerJvm start(Path workDir, String heap, String... flags)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heap,
        "-Xlog:gc:file=" + workDir.resolve("gc.log")));
    String extra = System.getProperty("server.jvmOptions", "").trim();
    if (!extra.isEmpty()) {
      cmd.addAll(List.of(extra.split("\\s+")));
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        "io.framekeep.cli.FramekeepCommand", "serve",
        "--host", "127.0.0.1", "--port", "0", "--data-dir", workDir.resolve("data").toString(),
        "--access-key-id", ACCESS_KEY_ID, "--secret-access-key", SECRET_ACCESS_KEY));
    cmd.addAll(List.of(flags));
    Path output = workDir.resolve("server.out");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(output.toFile()).start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = LISTENING.matcher(Files.exists(output) ? Files.readString(output) : "");
      if (m.find()) {
        return new ServerJvm(p, URI.create(m.group(1)), output);
      }
      if (!p.isAlive()) {
        throw new IOException("server exited: " + Files.readString(output));
      }
      Thread.sleep(50);
    }
    p.destroyForcibly();
    throw new IOException("server did not start within " + START_TIMEOUT);
  }

  static AwsCredentialsIdentity credentials() {
    return AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
  }

  KinesisVideoClient kinesisVideo() {
    return KinesisVideoClient.builder().endpointOverride(baseUrl).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  KinesisVideoArchivedMediaClient archivedMedia() {
    return KinesisVideoArchivedMediaClient.builder().endpointOverride(baseUrl)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  KinesisVideoMediaClient media() {
    return KinesisVideoMediaClient.builder().endpointOverride(baseUrl).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY)))
        .httpClient(ApacheHttpClient.create())
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /** Resident set size now, in MiB (VmRSS), or -1 once the process is gone. */
  double rssMiB() {
    return procStatus("VmRSS:");
  }

  /** Threads of the process now, or -1 once it is gone. */
  double threads() {
    return procStatus("Threads:");
  }

  /** Open file descriptors now, or -1 once the process is gone. */
  long openFiles() {
    try (var fds = Files.list(Path.of("/proc/" + process.pid() + "/fd"))) {
      return fds.count();
    } catch (IOException e) {
      return -1;
    }
  }

  private double procStatus(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith(key)) {
          double v = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return key.equals("VmRSS:") ? v / 1024.0 : v;
        }
      }
      return -1;
    } catch (IOException e) {
      return -1;
    }
  }

  String output() {
    try {
      return Files.readString(output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
