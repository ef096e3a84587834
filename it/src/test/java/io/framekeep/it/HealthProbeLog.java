package io.framekeep.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * What {@link HealthProbeProcess} wrote: each answer's time as the prober saw it, split into the
 * server's share (from accepting the connection to writing the answer), the prober's own wait for
 * a CPU, and the rest (connecting, the kernel's accept queue, the way back); and of the server's
 * share, what its threads on the probe's path (event loops, VM thread, GC workers) spent waiting
 * for a CPU, the rest being the server's own doing (work of other connections on the same loop, GC
 * work, safepoints).
 */
final class HealthProbeLog {
  /**
   * One answer, asked {@code atSecond} after the first; {@code serverMs} and {@code clientWaitMs}
   * are -1 where unknown, {@code serverWaitMs} 0.
   */
  record Answer(double atSecond, double totalMs, double serverMs, double clientWaitMs,
      double serverWaitMs) {
    /** The server's share less its threads' wait for a CPU (-1 where unknown). */
    double serverOwnMs() {
      return serverMs < 0 ? -1 : Math.max(0, serverMs - serverWaitMs);
    }
  }

  final List<Answer> answers = new ArrayList<>();
  final List<String> failures = new ArrayList<>();

  static HealthProbeLog read(Path file) throws IOException {
    HealthProbeLog log = new HealthProbeLog();
    long first = -1;
    for (String line : Files.readAllLines(file)) {
      String[] f = line.split(" ");
      if (first < 0 && f.length >= 1) {
        first = Long.parseLong(f[0]);
      }
      if (f.length >= 7 && f[3].startsWith("HTTP/1.1_200")) {
        log.answers.add(new Answer((Long.parseLong(f[0]) - first) / 1e9,
            (Long.parseLong(f[2]) - Long.parseLong(f[0])) / 1e6,
            Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6])));
      } else if (f.length >= 4) {
        log.failures.add(line);
      }
    }
    return log;
  }

  /** The {@code p}th percentile of {@code value} over the answers (the largest for 100), or -1. */
  double percentile(ToDoubleFunction<Answer> value, int p) {
    if (answers.isEmpty()) {
      return -1;
    }
    double[] sorted = answers.stream().mapToDouble(value).sorted().toArray();
    return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
  }

  double max(ToDoubleFunction<Answer> value) {
    return answers.stream().mapToDouble(value).max().orElse(-1);
  }

  /** Answers, percentiles of each share, and the slowest answers split into their shares. */
  String summary(double slowMs) {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "%d answers, %d failures %s%n", answers.size(), failures.size(),
        failures.stream().limit(3).toList()));
    s.append(line("total", Answer::totalMs)).append(line("server (accept to answer)",
        Answer::serverMs)).append(line("server waiting for a CPU", Answer::serverWaitMs))
        .append(line("server less its CPU wait", Answer::serverOwnMs))
        .append(line("prober waiting for a CPU", Answer::clientWaitMs));
    List<Answer> slow = answers.stream().filter(a -> a.totalMs() > slowMs)
        .sorted(Comparator.comparingDouble(Answer::totalMs).reversed()).toList();
    s.append(String.format(Locale.ROOT, "  %d answers over %.0f ms", slow.size(), slowMs));
    if (!slow.isEmpty()) {
      double total = slow.stream().mapToDouble(Answer::totalMs).sum();
      double server = slow.stream().mapToDouble(a -> Math.max(0, a.serverMs())).sum();
      double loops = slow.stream().mapToDouble(a -> a.serverMs() < 0 ? 0
          : Math.min(a.serverMs(), a.serverWaitMs())).sum();
      double client = slow.stream().mapToDouble(a -> Math.max(0, a.clientWaitMs())).sum();
      s.append(String.format(Locale.ROOT, ": %.0f ms in all, server %.0f ms (of which its threads"
          + " waiting for a CPU %.0f ms), prober waiting for a CPU %.0f ms, rest %.0f ms; slowest"
          + " (at s: total/server/server's CPU wait/prober's CPU wait ms):", total, server, loops, client,
          total - server - client));
      slow.stream().limit(8).forEach(a -> s.append(String.format(Locale.ROOT,
          " %.1f: %.0f/%.0f/%.0f/%.0f", a.atSecond(), a.totalMs(), a.serverMs(), a.serverWaitMs(),
          a.clientWaitMs())));
    }
    return s.append(String.format("%n")).toString();
  }

  private String line(String name, ToDoubleFunction<Answer> value) {
    return String.format(Locale.ROOT, "  %-26s p50 %6.1f ms, p99 %6.1f ms, max %6.1f ms%n", name,
        percentile(value, 50), percentile(value, 99), max(value));
  }
}
