package io.framekeep.it;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@code GET /health} prober in a small JVM of its own: its timings are not those of a test JVM
 * running thousands of attacker threads and sockets (their scheduling and GC would be counted as the
 * server's). Every {@code periodMs} it opens a connection, asks, reads the status line and the
 * headers, and writes one line: {@code startNanos connectedNanos answeredNanos status serverMs
 * waitMs serverWaitMs}: times from {@link System#nanoTime()}; the status line with its spaces as
 * {@code _}; the server's own account of how long it held the connection (its {@code
 * Server-Timing: accept;dur=}, -1 without it); how long this prober's thread was runnable but
 * waiting for a CPU during the probe; and how long the server's threads on the probe's path did so:
 * the two event loops that waited most (the accepting loop and the one serving the probe can be no
 * more), plus the VM thread and the GC worker that waited most (a GC pause stops the loops, and
 * lasts longer when its threads wait for a CPU). Both from Linux schedstat (0 where missing): the
 * machine's delay, not the code's. A failure is written as status
 * {@code FAIL:<reason>}. Runs until its standard input ends (the parent closes it or dies).
 *
 * <p>Arguments: host port periodMs outFile serverPid.
 */
final class HealthProbeProcess {
  private HealthProbeProcess() {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    long periodMs = Long.parseLong(args[2]);
    Path out = Path.of(args[3]);
    ServerLoops loops = new ServerLoops(Long.parseLong(args[4]));
    Thread watcher = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // the parent sends nothing; end of input means stop
        }
      } catch (IOException ignored) {
        // parent gone
      }
      System.exit(0);
    }, "stdin-watcher");
    watcher.setDaemon(true);
    watcher.start();
    byte[] request = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        .getBytes(StandardCharsets.ISO_8859_1);
    try (BufferedWriter w = Files.newBufferedWriter(out)) {
      while (true) {
        long waitedBefore = runQueueWaitNanos();
        long[] loopsBefore = loops.waits();
        long start = System.nanoTime();
        long connected = -1;
        String line;
        try (Socket s = new Socket()) {
          s.setSoTimeout(10_000);
          s.connect(new InetSocketAddress(host, port), 10_000);
          connected = System.nanoTime();
          OutputStream o = s.getOutputStream();
          o.write(request);
          o.flush();
          InputStream in = s.getInputStream();
          String status = readLine(in);
          long answered = System.nanoTime();
          String serverMs = "-1";
          for (String h = readLine(in); !h.isEmpty(); h = readLine(in)) {
            int dur = h.indexOf("accept;dur=");
            if (h.regionMatches(true, 0, "server-timing:", 0, 14) && dur > 0) {
              serverMs = h.substring(dur + 11).split("[,;\\s]")[0];
            }
          }
          long waitedAfter = runQueueWaitNanos();
          String serverWaitMs = String.format(java.util.Locale.ROOT, "%.1f",
              loops.pathWait(loopsBefore, loops.waits()) / 1e6);
          String waitMs = waitedBefore < 0 || waitedAfter < 0 ? "-1"
              : String.format(java.util.Locale.ROOT, "%.1f", (waitedAfter - waitedBefore) / 1e6);
          line = start + " " + connected + " " + answered + " "
              + status.replace(' ', '_') + " " + serverMs + " " + waitMs + " " + serverWaitMs;
        } catch (IOException e) {
          line = start + " " + connected + " " + System.nanoTime() + " FAIL:"
              + e.toString().replace(' ', '_');
        }
        w.write(line);
        w.newLine();
        w.flush();
        long sleepMs = periodMs - (System.nanoTime() - start) / 1_000_000;
        if (sleepMs > 0) {
          Thread.sleep(sleepMs);
        }
      }
    }
  }

  /** Nanoseconds this thread has been runnable but not running, or -1 without schedstat. */
  private static long runQueueWaitNanos() {
    return runQueueWaitNanos(Path.of("/proc/thread-self/schedstat"));
  }

  private static long runQueueWaitNanos(Path schedstat) {
    try {
      String[] f = Files.readString(schedstat).trim().split("\\s+");
      return Long.parseLong(f[1]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The server's threads on a probe's path: event loops (named {@code framekeep-accept...} and
   * {@code framekeep-io...}, of which Linux keeps 15 characters), the VM thread and the GC workers;
   * found again whenever a loop is missing (they start lazily).
   */
  private static final class ServerLoops {
    private final Path tasks;
    private List<Path> schedstats = List.of();
    private List<String> kinds = List.of();
    private int loopCount;

    ServerLoops(long pid) {
      this.tasks = Path.of("/proc/" + pid + "/task");
    }

    /** Each thread's run-queue wait so far, in nanoseconds, in the order of {@link #schedstats}. */
    long[] waits() {
      if (loopCount < EXPECTED_LOOPS) {
        find();
      }
      long[] w = new long[schedstats.size()];
      for (int i = 0; i < w.length; i++) {
        w[i] = runQueueWaitNanos(schedstats.get(i));
      }
      return w;
    }

    /**
     * From {@code before} to {@code after} (same threads): the two largest increases among the
     * loops, plus the VM thread's, plus the largest among the GC workers.
     */
    long pathWait(long[] before, long[] after) {
      long first = 0;
      long second = 0;
      long vm = 0;
      long gc = 0;
      for (int i = 0; i < Math.min(before.length, after.length); i++) {
        long d = before[i] < 0 || after[i] < 0 ? 0 : after[i] - before[i];
        switch (kinds.get(i)) {
          case "loop" -> {
            if (d > first) {
              second = first;
              first = d;
            } else if (d > second) {
              second = d;
            }
          }
          case "vm" -> vm = Math.max(vm, d);
          default -> gc = Math.max(gc, d);
        }
      }
      return first + second + vm + gc;
    }

    private void find() {
      List<Path> found = new ArrayList<>();
      List<String> foundKinds = new ArrayList<>();
      int loops = 0;
      try (Stream<Path> list = Files.list(tasks)) {
        for (Path task : (Iterable<Path>) list::iterator) {
          try {
            String name = Files.readString(task.resolve("comm")).trim();
            String kind = name.startsWith("framekeep-io") || name.startsWith("framekeep-accep")
                ? "loop" : name.equals("VM Thread") ? "vm" : name.startsWith("GC Thread") ? "gc"
                : null;
            if (kind != null) {
              found.add(task.resolve("schedstat"));
              foundKinds.add(kind);
              loops += kind.equals("loop") ? 1 : 0;
            }
          } catch (IOException e) {
            // ended meanwhile
          }
        }
      } catch (IOException e) {
        return;
      }
      schedstats = found;
      kinds = foundKinds;
      loopCount = loops;
    }
  }

  /** One accepting loop and twice as many serving ones as cores (Netty's default). */
  private static final int EXPECTED_LOOPS = 1 + 2 * Runtime.getRuntime().availableProcessors();

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }
}
