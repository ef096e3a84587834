package io.framekeep.media.fuzz;

import java.lang.management.ManagementFactory;

/**
 * Checks that one fuzz execution allocated no more than its input can justify: a fixed allowance
 * for the parsers' documented limits plus a constant number of bytes per input byte. A size read
 * from the input that sized an allocation unchecked (or checked against a limit far above the
 * documented ones) shows up here as a failure, long before it would exhaust the heap.
 *
 * <p>Counts the calling thread's allocations through {@code com.sun.management.ThreadMXBean},
 * which HotSpot keeps per thread; the fuzz targets run on one thread. Allocations the JIT removes
 * by escape analysis are not counted, so the check can only be lenient. The first run of a code
 * path also allocates for class loading and call-site linking; so an execution over budget is run
 * once more, and only a repeat over budget fails.
 */
final class AllocationBudget {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final String target;
  private final long fixedBytes;
  private final long bytesPerInputByte;

  /**
   * @param target names the fuzz target in failure messages
   * @param fixedBytes what any input may allocate: the largest limit-bounded buffers the parser
   *     may create before the bytes that fill them arrive, plus per-run bookkeeping
   * @param bytesPerInputByte what each input byte may add (events, element objects, copies)
   */
  AllocationBudget(String target, long fixedBytes, long bytesPerInputByte) {
    this.target = target;
    this.fixedBytes = fixedBytes;
    this.bytesPerInputByte = bytesPerInputByte;
    if (!THREADS.isThreadAllocatedMemorySupported()) {
      throw new IllegalStateException("this JVM does not count allocations per thread");
    }
    THREADS.setThreadAllocatedMemoryEnabled(true);
  }

  /** One fuzz execution. */
  interface Execution {
    void run() throws Exception;
  }

  /** Runs the execution and fails if it allocated more than the budget for this input length. */
  void run(int inputLength, Execution execution) throws Exception {
    long allowed = fixedBytes + bytesPerInputByte * inputLength;
    long allocated = measure(execution);
    if (allocated > allowed) {
      allocated = measure(execution);
      if (allocated > allowed) {
        throw new AssertionError(target + " allocated " + allocated + " bytes for an input of "
            + inputLength + " bytes; the budget is " + allowed);
      }
    }
  }

  private static long measure(Execution execution) throws Exception {
    long start = THREADS.getCurrentThreadAllocatedBytes();
    execution.run();
    return THREADS.getCurrentThreadAllocatedBytes() - start;
  }
}
