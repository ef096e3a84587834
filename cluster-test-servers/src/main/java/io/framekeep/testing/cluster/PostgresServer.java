package io.framekeep.testing.cluster;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A real PostgreSQL server for tests: binaries from Maven ({@link PostgresBinaries}), a fresh cluster in a
 * temporary directory, listening on 127.0.0.1 on a free port (no Unix socket), user {@value #USER} with trust
 * authentication, database {@value #DATABASE}.
 *
 * <p>PostgreSQL refuses to run as root. When the tests run as root, {@code initdb} and {@code postgres} run as
 * {@code nobody} through {@code setpriv} ({@link ChildProcesses#unprivileged}) and the data directory is given
 * to that user; otherwise they run as the current user. Either way nothing is installed on the machine.
 *
 * <p>{@link #stop()} and {@link #start()} may be called again to simulate a database restart: the data and the
 * port are kept. {@link #close()} stops the server and deletes its directory.
 *
 * <p>Thread safety: start/stop/close are synchronized; the accessors may be read from any thread.
 */
public final class PostgresServer implements Closeable {

  public static final String USER = "postgres";
  public static final String DATABASE = "postgres";

  /** 60 s: initdb and the first start on a shared 2-core machine take a few seconds; a hang should fail. */
  private static final long START_TIMEOUT_MS = 60_000;

  /** 30 s for a fast shutdown (it rolls back open transactions) before the process is killed. */
  private static final long STOP_TIMEOUT_MS = 30_000;

  /**
   * Settings for a throwaway test server: fsync off because test data need not survive a machine crash (a
   * stopped or killed server process still loses nothing: its writes are in the page cache); 200 connections
   * because tests open pools for several simulated nodes.
   */
  private static final List<String> SETTINGS = List.of("-c", "fsync=off", "-c", "max_connections=200",
      "-c", "unix_socket_directories=", "-c", "listen_addresses=127.0.0.1");

  private final Path root;
  private final Path dataDir;
  private final Path log;
  private final int port;
  private Process process;
  /** Stops the server if the JVM exits without {@link #close()} (a test that forgot, or Ctrl-C). */
  private final ServerLifecycle lifecycle;

  private PostgresServer(Path root, int port) {
    this.root = root;
    this.dataDir = root.resolve("data");
    this.log = root.resolve("postgres.log");
    this.port = port;
    this.lifecycle = new ServerLifecycle(this);
  }

  /** Creates a fresh cluster and starts it. */
  public static PostgresServer start() throws IOException {
    Path root = Files.createTempDirectory("framekeep-pg-");
    return ServerLifecycle.startOrClose(new PostgresServer(root, ChildProcesses.freePort()), server -> {
      server.initdb();
      server.startProcess();
    });
  }

  private void initdb() throws IOException {
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectory(dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    ChildProcesses.handOver(dataDir);
    Path bin = PostgresBinaries.home().resolve("bin");
    ChildProcesses.run(ChildProcesses.unprivileged(List.of(bin.resolve("initdb").toString(),
        "-D", dataDir.toString(), "-U", USER, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")),
        root, START_TIMEOUT_MS / 1000);
  }

  /** Starts the server again after {@link #stop()} on the same port and data. */
  public synchronized void restart() throws IOException {
    stop();
    startProcess();
  }

  private synchronized void startProcess() throws IOException {
    if (process != null && process.isAlive()) {
      return;
    }
    List<String> command = new java.util.ArrayList<>(List.of(
        PostgresBinaries.home().resolve("bin/postgres").toString(), "-D", dataDir.toString(),
        "-p", Integer.toString(port)));
    command.addAll(SETTINGS);
    process = new ProcessBuilder(ChildProcesses.unprivileged(command)).directory(root.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    ChildProcesses.awaitReady(process, this::ready, START_TIMEOUT_MS, log, "postgres");
  }

  /** Ready when postmaster.pid's status line says so (what {@code pg_ctl -w} checks) and the port accepts. */
  private boolean ready() {
    try {
      List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
      return lines.size() >= 8 && lines.get(7).trim().equals("ready") && ChildProcesses.accepting(port);
    } catch (IOException e) {
      return false;
    }
  }

  /** Fast shutdown (SIGINT): open sessions are rolled back and disconnected. No-op when stopped. */
  public synchronized void stop() throws IOException {
    if (process != null) {
      ChildProcesses.stop(process, "INT", STOP_TIMEOUT_MS);
      process = null;
    }
  }

  public int port() {
    return port;
  }

  /** JDBC URL of database {@value #DATABASE} as user {@value #USER} (no password). */
  public String jdbcUrl() {
    return jdbcUrl(DATABASE);
  }

  /** JDBC URL of another database on this server (create it first with {@code CREATE DATABASE}). */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
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
