package io.framekeep.media.mp4;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A complete progressive MP4 file described without its media bytes: {@link #prefix()} followed
 * by the output of every {@link #runs()} entry, in order, is the file (a run's stored bytes as
 * is, or converted from Annex-B when {@link SampleRun#annexBToLengthPrefixed()}).
 *
 * <p>The prefix buffer is shared: callers that send it should use {@code prefix().duplicate()}
 * (or read it once). Everything else is immutable.
 *
 * @param prefix {@code ftyp} + {@code moov} + the {@code mdat} box header, positioned at 0
 * @param runs the {@code mdat} payload as byte ranges of stored fragments, in file order
 * @param totalBytes prefix length plus the sum of all runs' {@link SampleRun#outputBytes()}
 */
public record ClipLayout(ByteBuffer prefix, List<SampleRun> runs, long totalBytes) {
  public ClipLayout {
    runs = List.copyOf(runs);
  }
}
