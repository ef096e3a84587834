package io.framekeep.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** CPU time of processes from /proc (Linux). */
final class ProcCpu {
  /** Clock ticks per second of /proc/&lt;pid&gt;/stat times (USER_HZ, 100 on every Linux we run on). */
  private static final double USER_HZ = 100.0;

  private ProcCpu() {}

  /**
   * User + system CPU seconds of a process tree: the process itself, the children it has waited for (their
   * time is in its cutime/cstime), and its live descendants. A process gone meanwhile counts zero.
   */
  static double treeSeconds(long pid) throws IOException {
    double total = fields(pid, true);
    for (ProcessHandle child : ProcessHandle.of(pid).map(p -> p.children().toList()).orElse(java.util.List.of())) {
      total += treeSeconds(child.pid());
    }
    return total;
  }

  /** User + system CPU seconds of one process (its threads, not its children). */
  static double seconds(long pid) throws IOException {
    return fields(pid, false);
  }

  private static double fields(long pid, boolean withWaitedChildren) throws IOException {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    } catch (NoSuchFileException e) {
      return 0;
    }
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    if (withWaitedChildren) {
      ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }
    return ticks / USER_HZ;
  }

  /** The 1, 5 and 15 minute load averages, as /proc/loadavg gives them. */
  static String loadAverage() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }
}
