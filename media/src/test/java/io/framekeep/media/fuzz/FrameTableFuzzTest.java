package io.framekeep.media.fuzz;

import static io.framekeep.media.fuzz.CheckingListener.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;

/**
 * Fuzzes {@link FrameTable#decode}, which reads frame-table blobs back from the fragment index
 * (a corrupt or tampered index must not crash a clip request).
 *
 * <p>The input is the blob. On success the timecode scale and every entry must be in range
 * (non-negative track, offset, size and duration; a positive converted size for Annex-B frames), and the table must survive encode/decode
 * unchanged. The only acceptable failure is {@link MediaFormatException}. Decoding allocates in
 * proportion to the blob (the frame count is bounded by its length), hence the small budget.
 */
class FrameTableFuzzTest {
  private static final AllocationBudget BUDGET = new AllocationBudget("FrameTable", 64 * 1024, 256);

  @FuzzTest(maxDuration = "20s")
  void decode_anyBytes_onlyMediaFormatExceptionAndEntriesInRange(byte[] data) throws Exception {
    Watchdog.run(data, () -> BUDGET.run(data.length, () -> decode(data)));
  }

  private static void decode(byte[] data) {
    try {
      FrameTable table = FrameTable.decode(data);
      check(table.size() >= 0 && table.size() <= FrameTable.MAX_FRAMES, "frame count");
      check(table.timecodeScaleNs() >= 0, "timecode scale " + table.timecodeScaleNs());
      for (int i = 0; i < table.size(); i++) {
        check(table.trackNumber(i) >= 0, "frame " + i + " has track " + table.trackNumber(i));
        check(table.offset(i) >= 0, "frame " + i + " has offset " + table.offset(i));
        check(table.frameSize(i) >= 0, "frame " + i + " has size " + table.frameSize(i));
        check(table.durationTicks(i) >= 0, "frame " + i + " has duration " + table.durationTicks(i));
        check(table.isAnnexB(i) ? table.convertedSize(i) > 0
                : table.convertedSize(i) == table.frameSize(i),
            "frame " + i + " has converted size " + table.convertedSize(i));
        check(!(table.isAnnexB(i) && table.isInvalid(i)), "frame " + i + " is Annex-B and invalid");
      }
      checkRoundTrip(table);
    } catch (MediaFormatException expected) {
      // Refused: the only acceptable failure.
    }
  }

  /** A table the code accepted must encode to a blob that decodes to the same table. */
  static void checkRoundTrip(FrameTable table) {
    String lines = describe(table);
    try {
      check(lines.equals(describe(FrameTable.decode(table.encode()))),
          "table does not survive encode/decode");
    } catch (MediaFormatException e) {
      throw new AssertionError("an accepted table encodes to a blob that is refused", e);
    }
  }

  /** Every field of the table, one frame per line. */
  static String describe(FrameTable t) {
    StringBuilder sb = new StringBuilder();
    sb.append(" table scale ").append(t.timecodeScaleNs()).append(" cluster ")
        .append(t.clusterTimecodeTicks()).append('\n');
    for (int i = 0; i < t.size(); i++) {
      sb.append("  track ").append(t.trackNumber(i)).append(" flags ").append(t.flags(i))
          .append(" converted ").append(t.convertedSize(i))
          .append(" rel ").append(t.relativeTimeTicks(i)).append(" offset ").append(t.offset(i))
          .append(" size ").append(t.frameSize(i)).append(" dur ").append(t.durationTicks(i))
          .append('\n');
    }
    return sb.toString();
  }
}
