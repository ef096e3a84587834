package io.framekeep.media.mp4;

import io.framekeep.media.FrameTable;
import io.framekeep.media.mkv.MkvHeader;
import java.util.List;

/**
 * What a clip is made of: the stream's MKV header (tracks, codec private data) and the frame
 * tables of the selected fragments, in clip order. Frame offsets in each table are relative to the
 * first byte of that fragment's stored payload.
 *
 * @param header the MKV header shared by every fragment of the clip
 * @param fragments frame tables of the fragments, in the order they appear in the clip
 * @param trim the presentation window to show, or null to show every frame from the first key
 *     frame on
 */
public record ClipSource(MkvHeader header, List<FrameTable> fragments, Trim trim) {
  public ClipSource {
    fragments = List.copyOf(fragments);
  }

  public ClipSource(MkvHeader header, List<FrameTable> fragments) {
    this(header, fragments, null);
  }

  /**
   * Exact trimming without re-encoding: the clip still starts decoding at its first key frame,
   * and its edit lists show only {@code [startNs, endNs)} (Matroska presentation times in
   * nanoseconds). A bound outside the clip's own media is clamped to it.
   */
  public record Trim(long startNs, long endNs) {
    public Trim {
      if (endNs <= startNs) {
        throw new IllegalArgumentException("trim end " + endNs + " is not after " + startNs);
      }
    }
  }
}
