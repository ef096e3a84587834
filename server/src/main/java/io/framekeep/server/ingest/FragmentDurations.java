package io.framekeep.server.ingest;

import io.framekeep.media.FragmentSpan;
import io.framekeep.media.FrameTable;
import io.framekeep.media.mkv.MkvHeader;

/**
 * The length of a fragment, computed once at ingest from its frame table and stored in the index
 * as its {@code durationMs}: ListFragments reports it as {@code FragmentLengthInMilliseconds}, HLS
 * as the segment's {@code #EXTINF}. It is the span of the fragment's video track (audio track
 * without video), see {@link FragmentSpan} for the definition and why.
 *
 * <p>Fragments archived before this definition (a span over every track, from the earliest frame
 * of any track to the end of the latest) keep the longer length stored with them: their
 * ListFragments lengths and {@code #EXTINF} stay a few per cent long; their playback is unchanged.
 */
final class FragmentDurations {
  private FragmentDurations() {}

  /** The fragment's length in milliseconds (rounded to nearest), 0 for an empty fragment. */
  static long durationMs(MkvHeader header, FrameTable frames) {
    return FragmentSpan.of(header, frames).durationMs();
  }
}
