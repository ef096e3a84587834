package io.framekeep.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Lowers the CPU priority (Linux nice value) of the calling thread, and with it of every thread
 * it starts afterwards (a new thread inherits its creator's nice value).
 *
 * <p>For load generators that share the server's machine: an attacker on a machine of its own
 * takes none of the server's CPU, so on a shared one it is made to give way to the server and to
 * the prober, whose latency is what is measured. The server's own work for the attackers keeps
 * its normal priority.
 */
final class LowPriorityThreads {
  /** The nice value of load generators: a tenth or so of a normal thread's CPU share under contention. */
  static final int LOAD_GENERATOR_NICE = 10;

  private LowPriorityThreads() {}

  /**
   * Sets the calling thread's nice value with {@code renice} on its Linux thread id. Returns false
   * (and changes nothing) where there is no {@code /proc/thread-self} or no {@code renice}.
   */
  static boolean lowerCallingThread(int nice) {
    try {
      Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
      String tid = self.getFileName().toString();
      Process renice = new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", tid)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return renice.waitFor(10, TimeUnit.SECONDS) && renice.exitValue() == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The calling thread's nice value from {@code /proc/thread-self/stat} (field 19), or 0. */
  static int callingThreadNice() {
    try {
      String stat = Files.readString(Path.of("/proc/thread-self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Integer.parseInt(fields[16]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
