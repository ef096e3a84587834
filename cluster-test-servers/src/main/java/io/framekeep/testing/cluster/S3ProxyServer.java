package io.framekeep.testing.cluster;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A real S3 API server for tests: S3Proxy ({@code org.gaul:s3proxy}, classifier {@code jar-with-dependencies})
 * in a child JVM with its {@code filesystem-nio2} backend in a temporary directory, listening on 127.0.0.1 on a
 * free port, path-style addressing, SigV2/SigV4 with the fixed test credentials {@link #ACCESS_KEY_ID} /
 * {@link #SECRET_ACCESS_KEY}. Bucket {@link #BUCKET} exists from the start.
 *
 * <p>A child process rather than in-process: the jar bundles its own Jetty, Guava, Jackson and jclouds, which
 * must not meet the versions on the test classpath, and a process can be stopped and started again to simulate
 * an outage ({@link #stop()}, {@link #start()}) with the data and the port kept.
 *
 * <p>The jar is found through the system property {@value #JAR_PROPERTY} (the modules using this fixture set it
 * with {@code maven-dependency-plugin:properties} and keep the jar off the test classpath; see
 * {@code storage-cluster/pom.xml}), else in the local Maven repository.
 *
 * <p>S3Proxy differs from AWS S3 in ways clients must allow for: it rejects the AWS SDK v2's default
 * streaming checksums (build clients with {@code requestChecksumCalculation(WHEN_REQUIRED)} and
 * {@code responseChecksumValidation(WHEN_REQUIRED)}) and ignores {@code If-None-Match} on PUT.
 *
 * <p>Thread safety: start/stop/close are synchronized.
 */
public final class S3ProxyServer implements Closeable {

  public static final String JAR_PROPERTY = "framekeep.s3proxy.jar";
  public static final String VERSION = "2.6.0";
  public static final String ACCESS_KEY_ID = "framekeep-test-key";
  public static final String SECRET_ACCESS_KEY = "framekeep-test-secret";
  public static final String BUCKET = "framekeep";
  public static final String REGION = "us-east-1";

  /** 120 s: a cold JVM loading S3Proxy's 40 MB jar on a shared 2-core machine can take tens of seconds. */
  private static final long START_TIMEOUT_MS = 120_000;

  /** 10 s for S3Proxy to exit on SIGTERM before it is killed. */
  private static final long STOP_TIMEOUT_MS = 10_000;

  /**
   * A small heap and a quick-starting JIT: the server only moves test objects, and several test JVMs share the
   * machine.
   */
  private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-Xshare:auto");

  private final List<String> jvmOptions;
  private final Path root;
  private final Path log;
  private final Path properties;
  private final int port;
  private Process process;
  /** Stops the server if the JVM exits without {@link #close()} (a test that forgot, or Ctrl-C). */
  private final ServerLifecycle lifecycle;

  private S3ProxyServer(Path root, int port, List<String> jvmOptions) {
    this.jvmOptions = List.copyOf(jvmOptions);
    this.root = root;
    this.log = root.resolve("s3proxy.log");
    this.properties = root.resolve("s3proxy.properties");
    this.port = port;
    this.lifecycle = new ServerLifecycle(this);
  }

  /** Starts a server with an empty store holding bucket {@link #BUCKET}, with the tests' small JVM settings. */
  public static S3ProxyServer launch() throws IOException {
    return launch(JVM_OPTIONS);
  }

  /**
   * {@link #launch()} with other JVM options for the server process, e.g. a full JIT and a larger heap for
   * benchmarks, where the tests' quick-starting settings would make the object store the slowest part.
   */
  public static S3ProxyServer launch(List<String> jvmOptions) throws IOException {
    Path root = Files.createTempDirectory("framekeep-s3-");
    return ServerLifecycle.startOrClose(new S3ProxyServer(root, ChildProcesses.freePort(), jvmOptions), server -> {
      Path store = root.resolve("store");
      // filesystem-nio2 keeps each bucket as a directory of the base directory.
      Files.createDirectories(store.resolve(BUCKET));
      server.writeProperties(store);
      server.start();
    });
  }

  private void writeProperties(Path store) throws IOException {
    Properties p = new Properties();
    p.setProperty("s3proxy.endpoint", endpoint());
    p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
    p.setProperty("s3proxy.identity", ACCESS_KEY_ID);
    p.setProperty("s3proxy.credential", SECRET_ACCESS_KEY);
    p.setProperty("s3proxy.ignore-unknown-headers", "true");
    p.setProperty("jclouds.provider", "filesystem-nio2");
    p.setProperty("jclouds.filesystem.basedir", store.toString());
    // The backend's own credentials; the filesystem provider ignores them but S3Proxy requires them.
    p.setProperty("jclouds.identity", "local");
    p.setProperty("jclouds.credential", "local");
    try (Writer out = Files.newBufferedWriter(properties)) {
      p.store(out, "framekeep test S3 server");
    }
  }

  /** Starts the server (again): same port, same stored objects. No-op when running. */
  public synchronized void start() throws IOException {
    if (process != null && process.isAlive()) {
      return;
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar().toString(), "--properties", properties.toString()));
    process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    ChildProcesses.awaitReady(process, () -> ChildProcesses.accepting(port), START_TIMEOUT_MS, log, "s3proxy");
  }

  /** Stops the server (SIGTERM, then kill); requests then fail with connection refused. No-op when stopped. */
  public synchronized void stop() throws IOException {
    if (process != null) {
      ChildProcesses.stop(process, "TERM", STOP_TIMEOUT_MS);
      process = null;
    }
  }

  static Path jar() throws IOException {
    String configured = System.getProperty(JAR_PROPERTY);
    Path jar = configured != null && !configured.isBlank() && !configured.startsWith("${")
        ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "gaul", "s3proxy", VERSION,
            "s3proxy-" + VERSION + "-jar-with-dependencies.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IOException("S3Proxy jar not found at " + jar + ": declare org.gaul:s3proxy:" + VERSION
          + ":jar-with-dependencies as a test dependency and pass its path in -D" + JAR_PROPERTY);
    }
    return jar;
  }

  /** {@code http://127.0.0.1:port}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The server's log so far (for failure messages). */
  public String logTail() {
    return ChildProcesses.tail(log);
  }

  @Override
  public synchronized void close() throws IOException {
    lifecycle.removeExitHook();
    try {
      stop();
    } finally {
      TempFiles.deleteTree(root);
    }
  }
}
