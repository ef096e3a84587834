package io.framekeep.media.mp4;

import io.framekeep.media.FrameTable;
import io.framekeep.media.mkv.MkvHeader;
import java.util.List;

/**
 * What a clip is made of: the stream's MKV header (tracks, codec private data) and the frame
 * tables of the selected fragments, in clip order. Frame offsets in each table are relative to the
 * first byte of that fragment's stored payload.
 *
 * <p>The clip's timeline: with {@code producerTimestampsMs}, producer time in nanoseconds since
 * the epoch, so that fragments of different PutMedia sessions (each with its own Matroska
 * timecode base) keep their real distance, gaps included ({@link ClipTimeline}); without, the
 * fragments' Matroska times as they are (one session).
 *
 * @param header the MKV header shared by every fragment of the clip
 * @param fragments frame tables of the fragments, in the order they appear in the clip
 * @param trim the presentation window to show, or null to show every frame from the first key
 *     frame on
 * @param fragmentNames how error messages name each fragment (e.g. its fragment number), or null
 *     for its position in the clip
 * @param producerTimestampsMs each fragment's producer timestamp (epoch milliseconds), or null
 *     to use Matroska time as the timeline
 */
public record ClipSource(MkvHeader header, List<FrameTable> fragments, Trim trim,
    List<String> fragmentNames, List<Long> producerTimestampsMs) {
  public ClipSource {
    fragments = List.copyOf(fragments);
    fragmentNames = fragmentNames == null ? null : List.copyOf(fragmentNames);
    if (fragmentNames != null && fragmentNames.size() != fragments.size()) {
      throw new IllegalArgumentException(fragmentNames.size() + " names for "
          + fragments.size() + " fragments");
    }
    producerTimestampsMs = producerTimestampsMs == null ? null : List.copyOf(producerTimestampsMs);
    if (producerTimestampsMs != null && producerTimestampsMs.size() != fragments.size()) {
      throw new IllegalArgumentException(producerTimestampsMs.size() + " timestamps for "
          + fragments.size() + " fragments");
    }
  }

  public ClipSource(MkvHeader header, List<FrameTable> fragments, Trim trim,
      List<String> fragmentNames) {
    this(header, fragments, trim, fragmentNames, null);
  }

  public ClipSource(MkvHeader header, List<FrameTable> fragments, Trim trim) {
    this(header, fragments, trim, null, null);
  }

  public ClipSource(MkvHeader header, List<FrameTable> fragments) {
    this(header, fragments, null, null, null);
  }

  /** How messages name fragment {@code index}: "fragment NAME" or "fragment INDEX". */
  String describe(int index) {
    return "fragment " + (fragmentNames == null ? String.valueOf(index) : fragmentNames.get(index));
  }

  /**
   * Exact trimming without re-encoding: the clip still starts decoding at its first key frame,
   * and its edit lists show only {@code [startNs, endNs)} (presentation times on the clip's
   * timeline, in nanoseconds). A bound outside the clip's own media is clamped to it.
   */
  public record Trim(long startNs, long endNs) {
    public Trim {
      if (endNs <= startNs) {
        throw new IllegalArgumentException("trim end " + endNs + " is not after " + startNs);
      }
    }
  }
}
