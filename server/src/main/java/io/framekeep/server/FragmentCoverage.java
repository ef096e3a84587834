package io.framekeep.server;

import io.framekeep.media.FragmentSpan;
import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.TimeOrigin;
import java.io.IOException;

/**
 * Which instants a stored fragment's media covers, for operations that start at an instant
 * (GetImages, GetMedia by timestamp): {@code [start, end)} on the chosen timeline, where start is
 * the fragment's timestamp and end is its start plus its stored length or, when later, the end of
 * its video track.
 *
 * <p>Why not the stored length alone: the length is the video track's span ({@link
 * FragmentSpan}), and that span begins after the fragment's timestamp when its cluster opens with
 * an audio block ahead of the key frame. Start plus length then ends a few tens of ms before the
 * next fragment starts, and instants there, which show this fragment's last video frames, would
 * belong to no fragment. Fragments archived by earlier versions store a length over all tracks,
 * which already reaches that far. The frame table is only decoded for instants past the stored
 * length. Thread-safe.
 */
public final class FragmentCoverage {
  private final StoredHeaders headers;

  public FragmentCoverage(StoredHeaders headers) {
    this.headers = headers;
  }

  /**
   * Whether {@code instantMs} lies in the fragment's media (an instant equal to the start always
   * does). A fragment whose header or frame table does not parse covers its stored length only.
   */
  public boolean covers(FragmentRecord f, TimeOrigin origin, long instantMs) throws IOException {
    long start = f.timestampMs(origin);
    if (instantMs < start) {
      return false;
    }
    if (instantMs < start + f.durationMs() || instantMs == start) {
      return true;
    }
    try {
      FragmentSpan span = FragmentSpan.of(headers.get(f.headerId()),
          FrameTable.decode(f.frameTable()));
      return instantMs < start + span.startOffsetMs() + span.durationMs();
    } catch (MediaFormatException e) {
      return false;
    }
  }
}
