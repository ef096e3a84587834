package io.framekeep.client;

import java.nio.file.Path;
import java.util.List;

/**
 * A downloaded GetClip piece: where its file is, the movie timescale and its tracks, and the byte
 * span [{@code mediaStart}, {@code mediaEnd}) of the file that holds every sample, which the
 * joined file copies verbatim.
 */
record PieceMovie(Path file, long movieTimescale, List<PieceTrack> tracks, long mediaStart,
    long mediaEnd) {

  /** Duration of the first video track (else the first track) in milliseconds. */
  long mainTrackDurationMs() {
    PieceTrack main = tracks.stream().filter(PieceTrack::isVideo).findFirst()
        .orElse(tracks.get(0));
    return main.mediaDuration() * 1000 / main.timescale();
  }
}
