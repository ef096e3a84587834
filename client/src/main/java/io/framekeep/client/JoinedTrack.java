package io.framekeep.client;

import java.util.Arrays;
import java.util.List;

/**
 * One track of the joined clip: the same track of every piece, its samples concatenated in piece
 * order. Chunk offsets are still relative to the start of the joined mdat payload, in which piece
 * k's media span begins at {@code pieceBase[k]}.
 *
 * <p>Timing: each piece's decode durations follow the previous piece's; a gap in the source of
 * more than {@link #MIN_GAP_MS} between pieces lengthens the piece's last sample so the next piece
 * starts at its true time. Composition offsets are shifted to the largest edit-list
 * {@code media_time} of all pieces, so B-frame reordering stays seamless at piece boundaries.
 */
final class JoinedTrack {
  /**
   * A jump in fragment start times larger than the piece's own duration by more than this is a
   * real gap (a camera that stopped) and is kept; smaller differences are fragment-timestamp
   * jitter (producer clocks tick in ms, frames are 10–40 ms).
   */
  static final long MIN_GAP_MS = 500;

  final PieceTrack first;
  final int[] sizes;
  final long[] deltas;
  final int[] compositionOffsets;
  final long[] syncSamples;
  final long[] chunkOffsets;
  final int[] samplesPerChunk;
  final long mediaTime;
  final long mediaDuration;
  /** Decode time (this track's ticks) at which each piece's first sample starts. */
  final long[] pieceDecodeStart;
  /** Latest end of a sample's presentation (decode time + composition offset + duration). */
  final long compositionEnd;

  /**
   * @param parts this track in every piece, in order
   * @param pieceStartMs start of each piece on the range's clock (ms)
   * @param pieceBase offset of each piece's media span in the joined mdat payload
   * @param pieceSpanStart file offset of each piece's media span in its own file
   * @param main the already joined reference track (first video track), or null for the
   *     reference itself. Other tracks are placed against it piece by piece: a server may drop an
   *     audio frame or two at piece edges, and plain concatenation would let every piece pull
   *     the audio earlier (drift); instead each piece's first sample starts where its own edit
   *     list put it relative to the reference, and the previous sample absorbs the difference.
   */
  JoinedTrack(List<PieceTrack> parts, long[] pieceStartMs, long[] pieceBase, long[] pieceSpanStart,
      JoinedTrack main) {
    this.first = parts.get(0);
    int samples = 0;
    int chunks = 0;
    boolean anyCtts = false;
    boolean anyStss = false;
    long maxMediaTime = 0;
    for (PieceTrack p : parts) {
      samples += p.sampleCount();
      chunks += p.chunkOffsets().length;
      anyCtts |= p.compositionOffsets() != null;
      anyStss |= p.syncSamples() != null;
      maxMediaTime = Math.max(maxMediaTime, p.mediaTime());
    }
    this.mediaTime = anyCtts ? maxMediaTime : first.mediaTime();
    sizes = new int[samples];
    deltas = new long[samples];
    compositionOffsets = anyCtts ? new int[samples] : null;
    long[] sync = anyStss ? new long[samples] : null;
    int syncCount = 0;
    chunkOffsets = new long[chunks];
    samplesPerChunk = new int[chunks];
    pieceDecodeStart = new long[parts.size()];
    int s = 0;
    int c = 0;
    long total = 0;
    long position = 0;
    for (int k = 0; k < parts.size(); k++) {
      PieceTrack p = parts.get(k);
      int n = p.sampleCount();
      System.arraycopy(p.sampleSizes(), 0, sizes, s, n);
      System.arraycopy(p.sampleDeltas(), 0, deltas, s, n);
      if (main != null && k > 0 && s > 0) {
        long wanted = alignedStart(parts, k, main);
        long lastStart = position - deltas[s - 1];
        deltas[s - 1] = Math.max(1, wanted - lastStart);
        position = lastStart + deltas[s - 1];
      }
      pieceDecodeStart[k] = position;
      for (int i = 0; i < n; i++) {
        position += deltas[s + i];
      }
      if (main == null && k + 1 < parts.size() && n > 0) {
        long pieceTicks = p.mediaDuration();
        long expectedTicks = (pieceStartMs[k + 1] - pieceStartMs[k]) * p.timescale() / 1000;
        if (expectedTicks - pieceTicks > MIN_GAP_MS * p.timescale() / 1000) {
          deltas[s + n - 1] += expectedTicks - pieceTicks;
          position += expectedTicks - pieceTicks;
        }
      }
      if (compositionOffsets != null) {
        long shift = (anyCtts ? maxMediaTime : 0) - p.mediaTime();
        for (int i = 0; i < n; i++) {
          int own = p.compositionOffsets() == null ? 0 : p.compositionOffsets()[i];
          compositionOffsets[s + i] = (int) (own + shift);
        }
      }
      if (sync != null) {
        if (p.syncSamples() == null) {
          for (int i = 1; i <= n; i++) {
            sync[syncCount++] = s + i;
          }
        } else {
          for (long number : p.syncSamples()) {
            sync[syncCount++] = s + number;
          }
        }
      }
      for (int i = 0; i < p.chunkOffsets().length; i++) {
        chunkOffsets[c] = pieceBase[k] + p.chunkOffsets()[i] - pieceSpanStart[k];
        samplesPerChunk[c] = p.samplesPerChunk()[i];
        c++;
      }
      s += n;
    }
    long compositionEnd = 0;
    for (int i = 0; i < samples; i++) {
      long offset = compositionOffsets == null ? 0 : compositionOffsets[i];
      compositionEnd = Math.max(compositionEnd, total + offset + deltas[i]);
      total += deltas[i];
    }
    this.mediaDuration = total;
    this.compositionEnd = compositionEnd;
    this.syncSamples = sync == null ? null : Arrays.copyOf(sync, syncCount);
  }

  /**
   * Where piece k's first sample belongs: the piece's origin on the reference track, plus this
   * track's own start within the piece (empty edit minus trimmed media time), relative to the
   * first piece's, in this track's ticks.
   */
  private static long alignedStart(List<PieceTrack> parts, int k, JoinedTrack main) {
    PieceTrack own = parts.get(k);
    PieceTrack first = parts.get(0);
    long ts = own.timescale();
    long originTicks = main.pieceDecodeStart[k] * ts / main.first.timescale();
    return originTicks + ownStart(own, ts) - ownStart(first, ts);
  }

  /** Presentation time of a piece track's first sample in ticks: empty edit minus media_time. */
  private static long ownStart(PieceTrack t, long ts) {
    return t.emptyEditMovieTicks() * ts / t.movieTimescale() - t.mediaTime();
  }

  /** Presentation duration in the given movie timescale (rounded up, so nothing is cut). */
  long presentationDuration(long movieTimescale) {
    return mediaSegmentDuration(movieTimescale) + first.emptyEditMovieTicks();
  }

  /** The edit from media_time to the end of the last presented sample, in the movie timescale. */
  long mediaSegmentDuration(long movieTimescale) {
    return ceilDiv(Math.max(0, compositionEnd - mediaTime) * movieTimescale, first.timescale());
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
