package io.framekeep.media.fmp4;

import io.framekeep.media.mp4.SampleRun;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One fragmented-MP4 media segment described without its media bytes: {@link #prefix()} ({@code
 * moof} + the {@code mdat} header) followed by the output of every run, in order, is the segment.
 * Runs name fragment index 0: the one stored fragment the segment was built from.
 *
 * @param prefix moof and mdat header, positioned at 0; shared, send a duplicate
 * @param runs the mdat payload as byte ranges of the stored fragment payload
 * @param totalBytes prefix length plus every run's output bytes
 */
public record MediaSegment(ByteBuffer prefix, List<SampleRun> runs, long totalBytes) {
  public MediaSegment {
    runs = List.copyOf(runs);
  }
}
