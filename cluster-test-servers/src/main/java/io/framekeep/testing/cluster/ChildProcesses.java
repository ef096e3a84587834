package io.framekeep.testing.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starting and stopping the fixtures' server processes, and the unprivileged user PostgreSQL needs as root. */
final class ChildProcesses {

  /** uid/gid of {@code nobody}/{@code nogroup} on Debian and most Linux distributions. */
  static final int UNPRIVILEGED_ID = 65534;

  /**
   * 10 ms between readiness probes: a server starting on a loaded machine takes seconds, so this costs nothing
   * and keeps the wait close to the real start time.
   */
  private static final long PROBE_PERIOD_MS = 10;

  private ChildProcesses() {}

  /** Whether this JVM runs as root (PostgreSQL then has to run as another user). */
  static boolean runningAsRoot() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return Integer.valueOf(0).equals(uid);
    } catch (IOException | UnsupportedOperationException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /**
   * {@code command} as is, or, as root, wrapped in {@code setpriv} so that it runs as {@link #UNPRIVILEGED_ID}
   * with no supplementary groups (util-linux, present on every Debian system).
   */
  static List<String> unprivileged(List<String> command) {
    if (!runningAsRoot()) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + UNPRIVILEGED_ID,
        "--regid=" + UNPRIVILEGED_ID, "--clear-groups", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Gives a directory tree to {@link #UNPRIVILEGED_ID} when running as root; no-op otherwise. */
  static void handOver(Path dir) throws IOException {
    if (runningAsRoot()) {
      run(List.of("chown", "-R", UNPRIVILEGED_ID + ":" + UNPRIVILEGED_ID, dir.toString()), dir, 60);
    }
  }

  /** Runs a command to completion, output to a log beside {@code workDir}; fails with the log on non-zero exit. */
  static void run(List<String> command, Path workDir, long timeoutSeconds) throws IOException {
    Path log = Files.createTempFile("framekeep-cmd-", ".log");
    try {
      Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
      if (!finished) {
        process.destroyForcibly();
        throw new IOException(command + " did not finish in " + timeoutSeconds + " s: " + Files.readString(log));
      }
      if (process.exitValue() != 0) {
        throw new IOException(command + " exited with " + process.exitValue() + ": " + Files.readString(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted running " + command, e);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** A TCP port on 127.0.0.1 free at the time of the call. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  /** Whether something accepts TCP connections on 127.0.0.1:port. */
  static boolean accepting(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Waits until {@code ready} holds; fails early if the process died, or after {@code timeoutMs}. */
  static void awaitReady(Process process, java.util.function.BooleanSupplier ready, long timeoutMs, Path log,
      String what) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!ready.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new IOException(what + " exited with " + process.exitValue() + ": " + tail(log));
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(what + " not ready after " + timeoutMs + " ms: " + tail(log));
      }
      try {
        Thread.sleep(PROBE_PERIOD_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted waiting for " + what, e);
      }
    }
  }

  /** Sends {@code signal} (e.g. "INT") to the process and waits up to timeoutMs for it to exit, then kills it. */
  static void stop(Process process, String signal, long timeoutMs) throws IOException {
    if (!process.isAlive()) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
      if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted stopping process " + process.pid(), e);
    }
  }

  /** The last few KB of a log file, for error messages. */
  static String tail(Path log) {
    try {
      String text = Files.readString(log);
      return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
