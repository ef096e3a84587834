package io.framekeep.media.fuzz;

import io.framekeep.media.FrameTable;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.MkvIngestParser;
import io.framekeep.media.mkv.TrackInfo;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * A {@link MkvIngestParser.Listener} that checks the listener contract on every call and records
 * a compact trace (header fields, each fragment's size, CRC and frame table) for comparing runs.
 * Fragment bytes are hashed, never kept, so memory stays independent of the input.
 */
final class CheckingListener implements MkvIngestParser.Listener {
  private final long maxHeaderBytes;
  private final StringBuilder trace = new StringBuilder();
  private MkvHeader header;
  private boolean inFragment;
  private long fragmentBytesSeen;
  private final CRC32 crc = new CRC32();

  CheckingListener(long maxHeaderBytes) {
    this.maxHeaderBytes = maxHeaderBytes;
  }

  String trace() {
    return trace.toString();
  }

  @Override
  public void onHeader(MkvHeader h) {
    check(header == null, "onHeader called twice");
    check(h.rawBytes().length <= maxHeaderBytes, "header longer than the limit");
    check(h.timecodeScaleNs() > 0, "TimecodeScale not positive");
    header = h;
    trace.append("header ").append(h.rawBytes().length).append(" scale ")
        .append(h.timecodeScaleNs()).append('\n');
    for (TrackInfo t : h.tracks()) {
      check(t.trackNumber() > 0, "track number not positive");
      trace.append(" track ").append(t.trackNumber()).append(' ').append(t.trackType()).append(' ')
          .append(t.codecId()).append(" cpd ").append(t.codecPrivate().length).append('\n');
    }
  }

  @Override
  public void onFragmentStart(long clusterTimecodeTicks) {
    check(header != null, "fragment before header");
    check(!inFragment, "fragment started twice");
    check(clusterTimecodeTicks >= 0, "negative cluster timecode");
    inFragment = true;
    fragmentBytesSeen = 0;
    crc.reset();
    trace.append("fragment ").append(clusterTimecodeTicks).append('\n');
  }

  @Override
  public void onFragmentBytes(ByteBuffer bytes) {
    check(inFragment, "fragment bytes outside a fragment");
    fragmentBytesSeen += bytes.remaining();
    crc.update(bytes);
  }

  @Override
  public void onFragmentEnd(FrameTable frames, long fragmentSizeBytes) {
    check(inFragment, "fragment end without start");
    check(fragmentBytesSeen == fragmentSizeBytes,
        "fragment size " + fragmentSizeBytes + " but " + fragmentBytesSeen + " bytes were passed on");
    inFragment = false;
    trace.append(" size ").append(fragmentSizeBytes).append(" crc ").append(crc.getValue())
        .append('\n');
    for (int i = 0; i < frames.size(); i++) {
      long end = (long) frames.offset(i) + frames.frameSize(i);
      check(frames.offset(i) >= 0 && frames.frameSize(i) >= 0 && end <= fragmentSizeBytes,
          "frame " + i + " at " + frames.offset(i) + "+" + frames.frameSize(i)
              + " lies outside the fragment of " + fragmentSizeBytes + " bytes");
      check(header.track(frames.trackNumber(i)) != null, "frame of an undeclared track");
    }
    FrameTableFuzzTest.checkRoundTrip(frames);
    trace.append(FrameTableFuzzTest.describe(frames));
  }

  static void check(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError(what);
    }
  }
}
