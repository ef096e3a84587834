package io.framekeep.media.mp4;

import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Walks a clip's frame tables once, in storage order, and lays out the {@code mdat}: which frames
 * of the selected tracks go in, in which order, how they group into chunks, and which byte ranges
 * of the fragments make up the payload.
 *
 * <p>Rules: the clip starts at the first video key frame (earlier video frames are dropped; audio
 * of that first fragment is kept, and the edit list starts its playback at the key frame); samples
 * follow storage order; consecutive
 * samples of one track whose bytes touch in the same fragment form one chunk. Frames of the same
 * fragment separated by at most {@link #MAX_GAP_BYTES} (Matroska block headers, a small frame of
 * an unselected track) share one {@link SampleRun} that carries the gap too: the gap bytes sit in
 * the {@code mdat} unreferenced, which MP4 allows, so a fragment goes to the socket as one
 * zero-copy range instead of one per frame. A video frame flagged Annex-B gets a converting run of
 * its own and its converted size in the sample table. A video frame flagged invalid at ingest
 * fails the clip. Not thread-safe.
 */
final class SampleCollector {
  /**
   * Largest run of unreferenced bytes carried inside a run. Block headers between frames are
   * 4–16 bytes; 64 KiB also spans small frames of tracks the clip leaves out, while a large one
   * (a big third track) ends the run instead of bloating the clip.
   */
  static final long MAX_GAP_BYTES = 64 * 1024;

  /** Per-sample facts of one track, in decode (storage) order, plus its chunk layout. */
  static final class TrackSamples {
    final long trackNumber;
    /** Sample sizes in bytes. */
    final LongArray sizes = new LongArray(256);
    /** Presentation times on the clip's timeline ({@link ClipTimeline}), in nanoseconds. */
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
  /** Offset in the mdat payload of the open run's first byte. */
  private long runPayloadStart;

  private final int maxSamplesPerTrack;
  private final IntFunction<String> name;
  /** Per fragment, what to add to its Matroska times to put them on the clip's timeline. */
  private final long[] timelineOffsetsNs;

  private SampleCollector(long videoTrack, long audioTrack, int maxSamplesPerTrack,
      IntFunction<String> name, long[] timelineOffsetsNs) {
    this.maxSamplesPerTrack = maxSamplesPerTrack;
    this.name = name;
    this.timelineOffsetsNs = timelineOffsetsNs;
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
    return collect(fragments, videoTrack, audioTrack, maxSamplesPerTrack, f -> "fragment " + f,
        new long[fragments.size()]);
  }

  /**
   * The same, naming fragment {@code f} in messages as {@code name.apply(f)} and adding {@code
   * timelineOffsetsNs[f]} to its Matroska times ({@link ClipTimeline#offsetsNs}).
   */
  static SampleCollector collect(List<FrameTable> fragments, long videoTrack, long audioTrack,
      int maxSamplesPerTrack, IntFunction<String> name, long[] timelineOffsetsNs)
      throws MediaFormatException {
    SampleCollector c = new SampleCollector(videoTrack, audioTrack, maxSamplesPerTrack, name,
        timelineOffsetsNs);
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

  private void checkScale(FrameTable table, int fragment) throws MediaFormatException {
    if (table.timecodeScaleNs() <= 0) {
      throw MediaFormatException.malformed(
          name.apply(fragment) + " has timecode scale " + table.timecodeScaleNs());
    }
  }

  private TrackSamples trackFor(long trackNumber) {
    if (trackNumber == video.trackNumber) {
      return video;
    }
    return audio != null && trackNumber == audio.trackNumber ? audio : null;
  }

  private long timeNs(FrameTable table, int i, int fragment) throws MediaFormatException {
    try {
      return Math.addExact(Math.multiplyExact(table.timeTicks(i), table.timecodeScaleNs()),
          timelineOffsetsNs[fragment]);
    } catch (ArithmeticException e) {
      throw MediaFormatException.malformed(
          name.apply(fragment) + " frame " + i + " time overflows 64-bit nanoseconds", e);
    }
  }

  private void add(TrackSamples track, FrameTable table, int i, int fragment, long timeNs)
      throws MediaFormatException {
    long size = table.frameSize(i);
    long offset = table.offset(i);
    if (size <= 0) {
      throw MediaFormatException.invalidMediaFrame(
          name.apply(fragment) + " frame " + i + " of track " + track.trackNumber + " is empty");
    }
    boolean convert = track == video && table.isAnnexB(i);
    if (track == video && table.isInvalid(i)) {
      throw MediaFormatException.invalidMediaFrame(name.apply(fragment) + " frame " + i
          + " of video track " + track.trackNumber + " is not made of NAL units with the length"
          + " prefixes its codec private data declares, nor of Annex-B start codes");
    }
    long outputSize = convert ? table.convertedSize(i) : size;
    if (track.count() >= maxSamplesPerTrack) {
      throw MediaFormatException.unsupported(
          "clip has more than " + maxSamplesPerTrack + " samples in track " + track.trackNumber);
    }
    long payloadOffset = place(fragment, offset, size, convert, outputSize);
    boolean contiguous = fragment == lastFragment && offset == lastEnd;
    if (track == lastTrack && contiguous) {
      int last = track.chunkSampleCounts.size() - 1;
      track.chunkSampleCounts.set(last, track.chunkSampleCounts.get(last) + 1);
    } else {
      track.chunkPayloadOffsets.add(payloadOffset);
      track.chunkSampleCounts.add(1);
    }
    track.sizes.add(outputSize);
    track.timesNs.add(timeNs);
    if (table.isKeyFrame(i)) {
      track.syncSamples.add(track.count());
    }
    track.lastDeclaredDurationNs = (long) table.durationTicks(i) * table.timecodeScaleNs();
    lastTrack = track;
    lastFragment = fragment;
    lastEnd = offset + size;
  }

  /**
   * Puts a sample's bytes into the payload: in the open run when it follows closely in the same
   * fragment, else in a new run. Returns where the sample starts in the mdat payload.
   */
  private long place(int fragment, long offset, long size, boolean convert, long outputSize) {
    if (convert) {
      closeRun();
      long at = payloadBytes;
      runs.add(SampleRun.annexBFrame(fragment, offset, size, outputSize));
      payloadBytes += outputSize;
      return at;
    }
    long runEnd = runOffset + runLength;
    if (runFragment == fragment && offset >= runEnd && offset - runEnd <= MAX_GAP_BYTES) {
      runLength = offset + size - runOffset;
    } else {
      closeRun();
      runFragment = fragment;
      runOffset = offset;
      runLength = size;
      runPayloadStart = payloadBytes;
    }
    return runPayloadStart + (offset - runOffset);
  }

  private void closeRun() {
    if (runFragment >= 0) {
      runs.add(new SampleRun(runFragment, runOffset, runLength));
      payloadBytes = runPayloadStart + runLength;
      runFragment = -1;
    }
  }
}
