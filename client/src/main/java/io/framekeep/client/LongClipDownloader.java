package io.framekeep.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A clip of any length from GetClip pieces: ListFragments for the range, {@link ClipPlanner} for
 * the pieces, one GetClip per piece spooled to a temporary file, {@link ClipJoiner} for the file.
 *
 * <p>A piece the service cut short (its limits may be lower than the client assumes) is noticed
 * from its duration: a complete piece lasts at least until its last fragment's middle. Such a
 * piece is fetched again in halves, and later pieces are planned no larger than the half. Temporary
 * files are deleted whatever happens. Not thread-safe; one download per instance.
 */
final class LongClipDownloader {
  /**
   * Summed fragment lengths may overstate a piece's media by this fraction (1/16, 6 %) before it
   * counts as truncated: above the 4.5 % that overlapping audio adds to a span over all tracks.
   */
  static final long LENGTH_SLACK_DIVISOR = 16;
  private final FramekeepClient client;
  private final ClipDownloadOptions options;

  LongClipDownloader(FramekeepClient client, ClipDownloadOptions options) {
    this.client = client;
    this.options = options;
  }

  ClipDownload download(String streamName, ClipRange range, OutputStream out) throws IOException {
    List<Fragment> fragments = client.listFragments(streamName, range);
    if (fragments.isEmpty()) {
      throw new ResourceNotFoundException("No fragments found in the stream for the range "
          + range.start() + " to " + range.end() + ".", 0, null, null);
    }
    TimestampType type = range.type();
    ClipLimits limits = options.limits();
    Deque<ClipPiece> todo = new ArrayDeque<>(ClipPlanner.plan(fragments, type, limits));
    Path dir = options.tempDir() != null
        ? Files.createTempDirectory(options.tempDir(), "framekeep-clip")
        : Files.createTempDirectory("framekeep-clip");
    List<PieceMovie> pieces = new ArrayList<>();
    List<Long> starts = new ArrayList<>();
    int refetches = 0;
    int done = 0;
    long downloaded = 0;
    // Every step either downloads a piece or splits one; splitting halves, so a correct plan ends
    // well within this. The bound turns any planning fault into an error instead of a spin.
    long stepsLeft = 4L * fragments.size() + 32;
    try {
      while (!todo.isEmpty()) {
        if (--stepsLeft < 0) {
          throw new IOException("GetClip kept returning partial pieces of " + fragments.size()
              + " fragments; the range cannot be fetched in pieces (fragments that share the start"
              + " time cannot be split: use the other timestamp type)");
        }
        ClipPiece piece = todo.removeFirst();
        if (piece.fragments().size() > limits.maxFragments()) {
          // Re-plan under the learned cap; a group sharing one start time cannot shrink further.
          List<ClipPiece> smaller = ClipPlanner.replan(piece, type, limits);
          if (smaller.size() > 1) {
            for (int i = smaller.size() - 1; i >= 0; i--) {
              todo.addFirst(smaller.get(i));
            }
            continue;
          }
        }
        Path file = dir.resolve("piece-" + pieces.size() + "-" + refetches + ".mp4");
        try (ClipResult clip = client.getClip(streamName, piece.start(), piece.end(), type);
            InputStream in = clip.payload()) {
          downloaded += Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        PieceMovie movie = PieceReader.read(file);
        if (truncated(piece, movie, type)) {
          List<ClipPiece> halves = ClipPlanner.halve(piece, type, limits);
          if (halves.size() > 1) {
            Files.delete(file);
            refetches++;
            limits = limits.withMaxFragments(halves.get(0).fragments().size());
            for (int i = halves.size() - 1; i >= 0; i--) {
              todo.addFirst(halves.get(i));
            }
            continue;
          }
          throw new IOException("GetClip returned only part of " + piece.fragments().size()
              + " fragments that share the start time " + piece.start() + " and so cannot be"
              + " fetched separately; use the other timestamp type for this range");
        }
        pieces.add(movie);
        // Producer time is media time; arrival times of an uploaded file say nothing about gaps.
        starts.add(piece.fragments().get(0).producerTimestamp().toEpochMilli());
        done += piece.fragments().size();
        options.progress().onProgress(done, fragments.size(), downloaded);
      }
      long[] startMs = starts.stream().mapToLong(Long::longValue).toArray();
      long written = ClipJoiner.write(pieces, startMs, out);
      long durationMs = 0;
      for (PieceMovie p : pieces) {
        durationMs += p.mainTrackDurationMs();
      }
      return new ClipDownload(fragments.size(), pieces.size(), refetches, written, durationMs);
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * True when the piece's main track is too short to hold all its fragments: the service left
   * some out. With producer timestamps the fragments' starts are media time, so a complete clip
   * lasts at least from the first start to half-way into the last fragment. Server timestamps of
   * an uploaded file are all but equal, so there the fragments' summed lengths are the measure,
   * less half the last fragment or {@link #LENGTH_SLACK_DIVISOR 1/16} of the sum, whichever is
   * more. Framekeep's lengths are the spans of each fragment's video track, which add up to the
   * media's duration, so a small piece missing one fragment falls short; the proportional slack
   * covers lengths that overstate the media (a span over all tracks, as AWS and archives written
   * by earlier Framekeep versions report: up to 5 % long).
   */
  static boolean truncated(ClipPiece piece, PieceMovie movie, TimestampType type) {
    if (piece.fragments().size() < 2) {
      return false;
    }
    long lastLengthMs = piece.last().lengthMs();
    long expectedMs;
    if (type == TimestampType.PRODUCER) {
      expectedMs = piece.last().producerTimestamp().toEpochMilli()
          - piece.fragments().get(0).producerTimestamp().toEpochMilli() + lastLengthMs / 2;
    } else {
      long sumMs = piece.fragments().stream().mapToLong(Fragment::lengthMs).sum();
      expectedMs = sumMs - Math.max(lastLengthMs / 2, sumMs / LENGTH_SLACK_DIVISOR);
    }
    return movie.mainTrackDurationMs() < expectedMs;
  }

  private static void deleteTree(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // Best effort: a leftover temporary file must not hide the real outcome.
    }
  }
}
