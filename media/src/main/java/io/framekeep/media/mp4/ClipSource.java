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
 */
public record ClipSource(MkvHeader header, List<FrameTable> fragments) {
  public ClipSource {
    fragments = List.copyOf(fragments);
  }
}
