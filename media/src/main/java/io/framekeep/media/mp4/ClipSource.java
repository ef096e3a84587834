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
 * @param fragmentNames how error messages name each fragment (e.g. its fragment number), or null
 *     for its position in the clip
 */
public record ClipSource(MkvHeader header, List<FrameTable> fragments, Trim trim,
    List<String> fragmentNames) {
  public ClipSource {
    fragments = List.copyOf(fragments);
    fragmentNames = fragmentNames == null ? null : List.copyOf(fragmentNames);
    if (fragmentNames != null && fragmentNames.size() != fragments.size()) {
      throw new IllegalArgumentException(fragmentNames.size() + " names for "
          + fragments.size() + " fragments");
    }
  }

  public ClipSource(MkvHeader header, List<FrameTable> fragments, Trim trim) {
    this(header, fragments, trim, null);
  }

  public ClipSource(MkvHeader header, List<FrameTable> fragments) {
    this(header, fragments, null, null);
  }

  /** How messages name fragment {@code index}: "fragment NAME" or "fragment INDEX". */
  String describe(int index) {
    return "fragment " + (fragmentNames == null ? String.valueOf(index) : fragmentNames.get(index));
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
