package io.framekeep.media.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * Turns a hang into a finding: if one fuzz execution runs longer than {@link #MAX_EXECUTION_MS},
 * the input is written to {@code target/fuzz-hangs/} with the stuck thread's stack, and the JVM
 * halts with {@link #HANG_EXIT_CODE}, which fails the surefire run.
 *
 * <p>JUnit's {@code @Timeout} cannot serve here: in fuzzing mode it would bound the whole fuzzing
 * session, not one input. One daemon thread checks the running execution every
 * {@link #CHECK_INTERVAL_MS}; executions only write two volatile fields.
 */
final class Watchdog {
  /** Inputs are at most a few KiB and parse in microseconds; 10 s is a hang, not a slow input. */
  static final long MAX_EXECUTION_MS = 10_000;
  private static final long CHECK_INTERVAL_MS = 1_000;
  private static final int HANG_EXIT_CODE = 70;

  private static volatile byte[] input;
  private static volatile long startedAtNs;
  private static volatile Thread fuzzThread;

  static {
    Thread checker = new Thread(Watchdog::watch, "fuzz-watchdog");
    checker.setDaemon(true);
    checker.start();
  }

  private Watchdog() {}

  /** Runs one execution under the watchdog. */
  static void run(byte[] data, AllocationBudget.Execution execution) throws Exception {
    fuzzThread = Thread.currentThread();
    startedAtNs = System.nanoTime();
    input = data;
    try {
      execution.run();
    } finally {
      input = null;
    }
  }

  private static void watch() {
    while (true) {
      try {
        Thread.sleep(CHECK_INTERVAL_MS);
      } catch (InterruptedException e) {
        return;
      }
      byte[] running = input;
      if (running != null && (System.nanoTime() - startedAtNs) / 1_000_000 > MAX_EXECUTION_MS) {
        reportAndHalt(running);
      }
    }
  }

  private static void reportAndHalt(byte[] running) {
    CRC32 crc = new CRC32();
    crc.update(running);
    Path file = Path.of("target", "fuzz-hangs", "hang-" + Long.toHexString(crc.getValue()));
    StringBuilder report = new StringBuilder("fuzz execution ran over " + MAX_EXECUTION_MS
        + " ms; input saved to " + file.toAbsolutePath() + "\n");
    for (StackTraceElement frame : fuzzThread.getStackTrace()) {
      report.append("\tat ").append(frame).append('\n');
    }
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, running);
    } catch (IOException e) {
      report.append("could not save the input: ").append(e).append('\n')
          .append(HexFormat.of().formatHex(running)).append('\n');
    }
    System.err.print(report);
    System.err.flush();
    Runtime.getRuntime().halt(HANG_EXIT_CODE);
  }
}
