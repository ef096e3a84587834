package io.framekeep.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * How a process's threads were scheduled, from Linux's {@code /proc/<pid>/task/<tid>/schedstat}:
 * per group of threads (the name without its trailing number), the time spent on a CPU and the time
 * spent runnable but waiting for one. Waiting time of a thread that answers requests is latency
 * the machine added, not the code. Threads that have ended are not counted.
 */
final class ThreadSchedStats {
  /** Nanoseconds on a CPU and waiting for one, of the threads of one group. */
  record Times(int threads, long cpuNanos, long waitNanos) {
    Times plus(long cpu, long wait) {
      return new Times(threads + 1, cpuNanos + cpu, waitNanos + wait);
    }
  }

  private ThreadSchedStats() {}

  /** The process's live threads grouped by name, or an empty map where schedstat is missing. */
  static Map<String, Times> of(long pid) {
    Map<String, Times> groups = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          String name = Files.readString(task.resolve("comm")).trim().replaceAll("[-#]?\\d+$", "");
          String[] f = Files.readString(task.resolve("schedstat")).trim().split("\\s+");
          groups.merge(name, new Times(1, Long.parseLong(f[0]), Long.parseLong(f[1])),
              (a, b) -> a.plus(b.cpuNanos(), b.waitNanos()));
        } catch (IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return groups;
    }
    return groups;
  }

  /** One line per group: threads, seconds on a CPU, seconds waiting for one. */
  static String format(Map<String, Times> groups) {
    StringBuilder s = new StringBuilder();
    groups.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue().waitNanos(), a.getValue().waitNanos()))
        .forEach(e -> s.append(String.format(Locale.ROOT, "  %-28s %3d threads, %7.2f s on CPU,"
            + " %7.2f s waiting for a CPU%n", e.getKey(), e.getValue().threads(),
            e.getValue().cpuNanos() / 1e9, e.getValue().waitNanos() / 1e9)));
    return s.toString();
  }
}
