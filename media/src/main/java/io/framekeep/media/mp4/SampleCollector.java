package io.framekeep.media.mp4;

import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks a clip's frame tables once, in storage order, and lays out the {@code mdat}: which frames
 * of the selected tracks go in, in which order, how they group into chunks, and which byte ranges
 * of the fragments make up the payload.
 *
 * <p>Rules: the clip starts at the first video key frame (earlier video frames are dropped; audio
 * of that first fragment is kept, and the edit list starts its playback at the key frame); samples
 * follow storage order; consecutive
 * samples of one track whose bytes touch in the same fragment form one chunk; adjacent frames of
 * the selected tracks whose bytes touch form one {@link SampleRun}, except that a video frame
 * flagged Annex-B gets a converting run of its own and its converted size in the sample table.
 * A video frame flagged invalid at ingest fails the clip. Not thread-safe.
 */
final class SampleCollector {

  /** Per-sample facts of one track, in decode (storage) order, plus its chunk layout. */
  static final class TrackSamples {
    final long trackNumber;
    /** Sample sizes in bytes. */
    final LongArray sizes = new LongArray(256);
    /** Absolute presentation times in nanoseconds. */
    final LongArray timesNs = new LongArray(256);
    /** 1-based numbers of key-frame samples. */
    final LongArray syncSamples = new LongArray(16);
    /** Offset of each chunk's first byte from the start of the mdat payload. */
    final LongArray chunkPayloadOffsets = new LongArray(64);
    /** Number of samples in each chunk. */
    final LongArray chunkSampleCounts = new LongArray(64);
    /** Declared duration of the last sample in nanoseconds, or 0. */
    long lastDeclaredDurationNs;

    TrackSamples(long trackNumber) {
      this.trackNumber = trackNumber;
    }

    int count() {
      return sizes.size();
    }
  }

  final TrackSamples video;
  final TrackSamples audio;
  final List<SampleRun> runs = new ArrayList<>();
  long payloadBytes;

  private TrackSamples lastTrack;
  private int lastFragment = -1;
  private long lastEnd = -1;
  private int runFragment = -1;
  private long runOffset;
  private long runLength;

  private final int maxSamplesPerTrack;

  private SampleCollector(long videoTrack, long audioTrack, int maxSamplesPerTrack) {
    this.maxSamplesPerTrack = maxSamplesPerTrack;
    video = new TrackSamples(videoTrack);
    audio = audioTrack < 0 ? null : new TrackSamples(audioTrack);
  }

  /**
   * @param audioTrack the audio track number, or -1 for a video-only clip
   * @param maxSamplesPerTrack refuse the clip beyond this many samples in one track
   * @throws MediaFormatException invalid media frame when there is no video key frame, a frame is
   *     empty, or a video frame is flagged {@link FrameTable#FLAG_INVALID}; malformed when times
   *     overflow; unsupported when the clip has too many samples
   */
  static SampleCollector collect(List<FrameTable> fragments, long videoTrack, long audioTrack,
      int maxSamplesPerTrack) throws MediaFormatException {
    SampleCollector c = new SampleCollector(videoTrack, audioTrack, maxSamplesPerTrack);
    c.walk(fragments);
    if (c.video.count() == 0) {
      throw MediaFormatException.invalidMediaFrame("the clip has no video key frame to start at");
    }
    c.closeRun();
    return c;
  }

  private void walk(List<FrameTable> fragments) throws MediaFormatException {
    int[] start = firstVideoKeyFrame(fragments);
    if (start == null) {
      return;
    }
    for (int f = start[0]; f < fragments.size(); f++) {
      FrameTable table = fragments.get(f);
      checkScale(table, f);
      for (int i = 0; i < table.size(); i++) {
        TrackSamples track = trackFor(table.trackNumber(i));
        if (track == null || (track == video && f == start[0] && i < start[1])) {
          continue;
        }
        add(track, table, i, f, timeNs(table, i, f));
      }
    }
  }

  /**
   * Where the clip starts: {fragment, frame} of the first video key frame. Video before it cannot
   * be decoded and is dropped; audio of that fragment is kept whatever its position, so that
   * clips of consecutive ranges lose no audio (the edit list hides what precedes the key frame).
   */
  private int[] firstVideoKeyFrame(List<FrameTable> fragments) throws MediaFormatException {
    for (int f = 0; f < fragments.size(); f++) {
      FrameTable table = fragments.get(f);
      checkScale(table, f);
      for (int i = 0; i < table.size(); i++) {
        if (table.trackNumber(i) == video.trackNumber && table.isKeyFrame(i)) {
          return new int[] {f, i};
        }
      }
    }
    return null;
  }

  private static void checkScale(FrameTable table, int fragment) throws MediaFormatException {
    if (table.timecodeScaleNs() <= 0) {
      throw MediaFormatException.malformed(
          "fragment " + fragment + " has timecode scale " + table.timecodeScaleNs());
    }
  }

  private TrackSamples trackFor(long trackNumber) {
    if (trackNumber == video.trackNumber) {
      return video;
    }
    return audio != null && trackNumber == audio.trackNumber ? audio : null;
  }

  private static long timeNs(FrameTable table, int i, int fragment) throws MediaFormatException {
    try {
      return Math.multiplyExact(table.timeTicks(i), table.timecodeScaleNs());
    } catch (ArithmeticException e) {
      throw MediaFormatException.malformed(
          "fragment " + fragment + " frame " + i + " time overflows 64-bit nanoseconds", e);
    }
  }

  private void add(TrackSamples track, FrameTable table, int i, int fragment, long timeNs)
      throws MediaFormatException {
    long size = table.frameSize(i);
    long offset = table.offset(i);
    if (size <= 0) {
      throw MediaFormatException.invalidMediaFrame(
          "fragment " + fragment + " frame " + i + " of track " + track.trackNumber + " is empty");
    }
    boolean convert = track == video && table.isAnnexB(i);
    if (track == video && table.isInvalid(i)) {
      throw MediaFormatException.invalidMediaFrame("fragment " + fragment + " frame " + i
          + " of video track " + track.trackNumber + " is not made of NAL units with the length"
          + " prefixes its codec private data declares, nor of Annex-B start codes");
    }
    long outputSize = convert ? table.convertedSize(i) : size;
    if (track.count() >= maxSamplesPerTrack) {
      throw MediaFormatException.unsupported(
          "clip has more than " + maxSamplesPerTrack + " samples in track " + track.trackNumber);
    }
    boolean contiguous = fragment == lastFragment && offset == lastEnd;
    if (track == lastTrack && contiguous) {
      int last = track.chunkSampleCounts.size() - 1;
      track.chunkSampleCounts.set(last, track.chunkSampleCounts.get(last) + 1);
    } else {
      track.chunkPayloadOffsets.add(payloadBytes);
      track.chunkSampleCounts.add(1);
    }
    if (convert) {
      closeRun();
      runs.add(SampleRun.annexBFrame(fragment, offset, size, outputSize));
    } else if (runFragment == fragment && offset == runOffset + runLength) {
      runLength += size;
    } else {
      closeRun();
      runFragment = fragment;
      runOffset = offset;
      runLength = size;
    }
    track.sizes.add(outputSize);
    track.timesNs.add(timeNs);
    if (table.isKeyFrame(i)) {
      track.syncSamples.add(track.count());
    }
    track.lastDeclaredDurationNs = (long) table.durationTicks(i) * table.timecodeScaleNs();
    payloadBytes += outputSize;
    lastTrack = track;
    lastFragment = fragment;
    lastEnd = offset + size;
  }

  private void closeRun() {
    if (runFragment >= 0) {
      runs.add(new SampleRun(runFragment, runOffset, runLength));
      runFragment = -1;
    }
  }
}
