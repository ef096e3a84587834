package io.framekeep.media.fuzz;

import static io.framekeep.media.fuzz.CheckingListener.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.mkv.IngestLimits;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.MkvIngestParser;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes {@link MkvIngestParser}, the entry point for every PutMedia body.
 *
 * <p>Input: {@link FuzzInput}. Mode bit 0 set: the body goes to
 * {@link MkvIngestParser#parseHeader}. Otherwise it is fed whole and again in the pieces the split
 * style chooses, each followed by {@code finish()}, and both runs must give the same listener trace
 * or the same failure (the parser's contract: events do not depend on how bytes arrive). Mode bit
 * 3 selects tiny {@link IngestLimits} so that the limit checks are reached by short inputs.
 *
 * <p>Any throwable other than {@link MediaFormatException} is a finding, as is a broken listener
 * contract (see {@link CheckingListener}), a split-dependent result, or an allocation beyond
 * {@link #BUDGET}. Seeds: {@code MkvIngestParserFuzzTestInputs/} (see the README beside it).
 */
class MkvIngestParserFuzzTest {
  /** Limits small enough for fuzz-sized inputs to hit every one of them. */
  private static final IngestLimits TINY_LIMITS = new IngestLimits(2048, 1_000_000_000L, 2, 1024);
  /**
   * Two parses per input. Fixed part: a CodecPrivate value buffer the reader may allocate before
   * its bytes arrive (MAX_BINARY_BYTES, 1 MiB) per parse, plus 1 MiB for the parser, the
   * listener and the exception; each input byte may cost a few element events in each run.
   */
  private static final AllocationBudget BUDGET =
      new AllocationBudget("MkvIngestParser", 3L << 20, 2048);

  @FuzzTest(maxDuration = "20s")
  void parse_anyBytesAnySplit_onlyMediaFormatExceptionAndSplitIndependent(byte[] data)
      throws Exception {
    Watchdog.run(data, () -> BUDGET.run(data.length, () -> parseWholeAndSplit(data)));
  }

  private static void parseWholeAndSplit(byte[] data) {
    FuzzInput input = FuzzInput.of(data);
    if (input.flag0()) {
      parseHeader(input.body());
    } else {
      IngestLimits limits = input.flag3() ? TINY_LIMITS : IngestLimits.kvsDefaults();
      String whole = run(input.body(), List.of(input.body().length), limits);
      if (input.splitStyle() != FuzzInput.STYLE_WHOLE) {
        String split = run(input.body(), input.pieces(), limits);
        check(whole.equals(split), "whole-buffer and split runs differ:\n--- whole\n" + whole
            + "\n--- split\n" + split);
      }
    }
  }

  private static void parseHeader(byte[] body) {
    try {
      MkvHeader header = MkvIngestParser.parseHeader(body);
      check(Arrays.equals(header.rawBytes(), body), "parsed header does not keep its bytes");
    } catch (MediaFormatException expected) {
      // Refused: the only acceptable failure.
    }
  }

  /** Feeds the body in the given pieces, then finishes; returns the trace or the failure. */
  static String run(byte[] body, List<Integer> pieces, IngestLimits limits) {
    CheckingListener listener = new CheckingListener(limits.maxHeaderBytes());
    MkvIngestParser parser = new MkvIngestParser(listener, limits);
    int offset = 0;
    try {
      for (int length : pieces) {
        // Each piece sits inside a larger buffer at a non-zero position, as network buffers do.
        ByteBuffer chunk = ByteBuffer.allocate(length + 6);
        chunk.position(3).limit(3 + length);
        chunk.put(body, offset, length).position(3);
        parser.feed(chunk);
        check(!chunk.hasRemaining(), "feed left bytes unconsumed");
        offset += length;
      }
      parser.finish();
      return listener.trace() + "finished";
    } catch (MediaFormatException e) {
      assertRethrows(parser, e);
      return listener.trace() + "failed " + e.kind() + " " + e.ackErrorId() + " " + e.getMessage();
    }
  }

  /** After a failure every later call must raise the same exception. */
  private static void assertRethrows(MkvIngestParser parser, MediaFormatException failure) {
    try {
      parser.finish();
    } catch (MediaFormatException again) {
      check(again == failure, "a later call raised a different exception: " + again);
      return;
    }
    throw new AssertionError("finish() after a failure did not raise it again");
  }
}
