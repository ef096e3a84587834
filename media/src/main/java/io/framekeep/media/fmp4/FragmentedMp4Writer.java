package io.framekeep.media.fmp4;

import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.mp4.Box;
import io.framekeep.media.mp4.PlaybackTracks;
import io.framekeep.media.mp4.SampleRun;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fragmented MP4 (ISO/IEC 14496-12 §8.8) for HLS and DASH: an init segment ({@code ftyp} +
 * {@code moov} with empty sample tables and {@code mvex}/{@code trex}) from the stream's tracks,
 * and one media segment ({@code moof} + {@code mdat}) per stored fragment, computed from its frame
 * table alone.
 *
 * <p>Tracks: video is track 1 at {@link #VIDEO_TIMESCALE}, audio (when present) track 2 at its
 * sample rate. Timing: a frame's time on the session timeline is the fragment's start on that
 * timeline plus the frame's time relative to its cluster. Decode times are the fragment's sorted
 * presentation times, so that the {@code trun} (version 1) carries signed composition offsets for
 * B-frames and every segment's {@code tfdt} is its first frame's presentation time (AAC: moved onto
 * the whole-frame grid when within a millisecond of it, see {@link #onFrameGrid}). In the {@code
 * mdat} all video samples come first, then all audio samples; adjacent stored samples of a track
 * form one zero-copy {@link SampleRun}; an Annex-B video frame gets a converting run of its own.
 *
 * <p>Stateless and thread-safe.
 */
public final class FragmentedMp4Writer {
  /** Video media timescale: the MPEG 90 kHz clock, exact for all common frame rates. */
  public static final int VIDEO_TIMESCALE = 90_000;
  /** The {@code track_ID} of the video track in every init and media segment. */
  public static final int VIDEO_TRACK_ID = 1;
  /** The {@code track_ID} of the audio track. */
  public static final int AUDIO_TRACK_ID = 2;

  /**
   * Which tracks a segment carries: all of them (HLS, one multiplexed rendition), or one, for
   * players that want one track per representation (DASH adaptation sets).
   */
  public enum Selection {
    ALL,
    VIDEO,
    AUDIO;

    boolean video() {
      return this != AUDIO;
    }

    boolean audio() {
      return this != VIDEO;
    }
  }
  /** Duration given to a lone video frame with nothing to measure it by: 1/30 s. */
  private static final long FALLBACK_FRAME_TICKS = VIDEO_TIMESCALE / 30;
  private static final long NS_PER_SECOND = 1_000_000_000L;
  /**
   * How far an AAC segment start may be moved onto the frame grid: stored times are rounded to
   * whole milliseconds, so a frame's stored time is within 0.5 ms of its true one; 1 ms covers
   * that with margin and is far below a frame (21 ms at 48 kHz).
   */
  static final long AUDIO_GRID_TOLERANCE_NS = 1_000_000;

  private FragmentedMp4Writer() {}

  /** The init segment for a session's tracks. */
  public static ByteBuffer initSegment(PlaybackTracks tracks) {
    return initSegment(tracks, Selection.ALL);
  }

  /** The init segment for some of a session's tracks. */
  public static ByteBuffer initSegment(PlaybackTracks tracks, Selection selection) {
    List<Fmp4Boxes.InitTrack> init = new ArrayList<>(2);
    if (tracks.hasVideo() && selection.video()) {
      init.add(new Fmp4Boxes.InitTrack(VIDEO_TRACK_ID, true, VIDEO_TIMESCALE,
          tracks.videoEntry(), tracks.width(), tracks.height()));
    }
    if (tracks.hasAudio() && selection.audio()) {
      init.add(new Fmp4Boxes.InitTrack(AUDIO_TRACK_ID, false, tracks.audioSampleRateHz(),
          tracks.audioEntry(), 0, 0));
    }
    Box ftyp = Fmp4Boxes.ftyp();
    Box moov = Fmp4Boxes.moov(init);
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(ftyp.size() + moov.size()));
    ftyp.write(out);
    moov.write(out);
    out.flip();
    return out.asReadOnlyBuffer();
  }

  /**
   * The media segment of one stored fragment.
   *
   * @param sequenceNumber the {@code mfhd} sequence number, from 1
   * @param fragmentStartNs where the fragment's cluster timecode falls on the session timeline,
   *     in nanoseconds, at least 0
   * @throws MediaFormatException invalid media frame (empty or unparsable video frame, G.711
   *     sample not a whole number of frames, no video frame at all), malformed (time overflow)
   */
  public static MediaSegment mediaSegment(PlaybackTracks tracks, FrameTable table,
      long sequenceNumber, long fragmentStartNs) throws MediaFormatException {
    return mediaSegment(tracks, table, sequenceNumber, fragmentStartNs, Selection.ALL);
  }

  /**
   * The media segment of one stored fragment carrying only the selected tracks; an audio-only
   * segment of a fragment without audio has an empty {@code trun}.
   *
   * @throws MediaFormatException as {@link #mediaSegment(PlaybackTracks, FrameTable, long, long)}
   */
  public static MediaSegment mediaSegment(PlaybackTracks tracks, FrameTable table,
      long sequenceNumber, long fragmentStartNs, Selection selection)
      throws MediaFormatException {
    return mediaSegment(tracks, table, sequenceNumber, fragmentStartNs, selection, null);
  }

  /**
   * As {@link #mediaSegment(PlaybackTracks, FrameTable, long, long, Selection)}, with
   * {@code firstVideoSamplePrefix} (length-prefixed NAL units, e.g. {@link InBandParameterSets})
   * put in front of the first video sample — the fragment's key frame — as part of that sample,
   * right after the {@code mdat} header in the segment's prefix. Null or empty: nothing added.
   */
  public static MediaSegment mediaSegment(PlaybackTracks tracks, FrameTable table,
      long sequenceNumber, long fragmentStartNs, Selection selection,
      byte[] firstVideoSamplePrefix) throws MediaFormatException {
    boolean withVideo = tracks.hasVideo() && selection.video();
    boolean withAudio = tracks.hasAudio() && selection.audio();
    Track video = new Track(withVideo ? table.size() : 0);
    Track audio = new Track(withAudio ? table.size() : 0);
    for (int i = 0; i < table.size(); i++) {
      long number = table.trackNumber(i);
      if (withVideo && number == tracks.video().trackNumber()) {
        addVideo(video, table, i, fragmentStartNs);
      } else if (withAudio && number == tracks.audio().trackNumber()) {
        addAudio(audio, table, i, fragmentStartNs, tracks);
      }
    }
    if (withVideo && video.count == 0) {
      throw MediaFormatException.invalidMediaFrame("the fragment has no video frame");
    }
    VideoTiming timing = withVideo ? VideoTiming.of(video) : null;
    long audioBase = audio.count > 0
        ? onFrameGrid(audio.times[0], tracks.aacSamplesPerFrame(), tracks.audioSampleRateHz())
        : ticks(fragmentStartNs, Math.max(1, tracks.audioSampleRateHz()));
    byte[] lead = withVideo && firstVideoSamplePrefix != null ? firstVideoSamplePrefix
        : new byte[0];
    if (lead.length > 0) {
      video.sizes[0] += lead.length; // video.count > 0: checked above
    }
    long videoBytes = video.payloadBytes() + lead.length;
    // The moof's size does not depend on data_offset values, so size it with zeros first.
    Box sizing = moof(sequenceNumber, video, timing, withAudio ? audio : null, audioBase, 0,
        videoBytes);
    int dataStart = Math.toIntExact(sizing.size() + Box.HEADER_BYTES);
    Box moof = moof(sequenceNumber, video, timing, withAudio ? audio : null, audioBase,
        dataStart, videoBytes);
    long payload = videoBytes + audio.payloadBytes();
    ByteBuffer prefix = ByteBuffer.allocate(dataStart + lead.length);
    moof.write(prefix);
    prefix.putInt(Math.toIntExact(payload + Box.HEADER_BYTES)); // size
    prefix.put(new byte[] {'m', 'd', 'a', 't'}); // type
    prefix.put(lead); // the first video sample's leading bytes; its stored bytes follow
    prefix.flip();
    List<SampleRun> runs = new ArrayList<>(video.runs);
    runs.addAll(audio.runs);
    return new MediaSegment(prefix.asReadOnlyBuffer(), runs, dataStart + payload);
  }

  /**
   * Video decode timing: decode times are the sorted presentation times, composition offsets the
   * (signed) difference, durations the decode-time steps.
   */
  private record VideoTiming(long baseDecodeTime, long[] durations, long[] ctsOffsets) {
    static VideoTiming of(Track video) throws MediaFormatException {
      long[] pts = Arrays.copyOf(video.times, video.count);
      long[] dts = pts.clone();
      Arrays.sort(dts);
      long[] cts = new long[video.count];
      long[] durations = new long[video.count];
      for (int k = 0; k < video.count; k++) {
        cts[k] = pts[k] - dts[k];
        durations[k] = k + 1 < video.count ? dts[k + 1] - dts[k] : lastDuration(video, dts);
      }
      return new VideoTiming(dts[0], durations, cts);
    }
  }

  private static Box moof(long sequenceNumber, Track video, VideoTiming timing, Track audio,
      long audioBase, int dataStart, long videoBytes) {
    List<Box> children = new ArrayList<>(3);
    children.add(Fmp4Boxes.mfhd(sequenceNumber));
    if (timing != null) {
      children.add(Box.container("traf", List.of(Fmp4Boxes.tfhd(VIDEO_TRACK_ID),
          Fmp4Boxes.tfdt(timing.baseDecodeTime()), Fmp4Boxes.trun(dataStart,
              timing.durations(), Arrays.copyOf(video.sizes, video.count),
              Arrays.copyOf(video.flags, video.count), timing.ctsOffsets()))));
    }
    if (audio != null) {
      children.add(Box.container("traf", List.of(Fmp4Boxes.tfhd(AUDIO_TRACK_ID),
          Fmp4Boxes.tfdt(audioBase), Fmp4Boxes.trun(Math.toIntExact(dataStart + videoBytes),
              Arrays.copyOf(audio.durations, audio.count), Arrays.copyOf(audio.sizes, audio.count),
              null, null))));
    }
    return Box.container("moof", children);
  }

  private static void addVideo(Track video, FrameTable table, int i, long fragmentStartNs)
      throws MediaFormatException {
    long size = table.frameSize(i);
    if (size <= 0 || table.isInvalid(i)) {
      throw MediaFormatException.invalidMediaFrame("video frame " + i + " of the fragment is "
          + (size <= 0 ? "empty" : "not made of NAL units its codec private data allows"));
    }
    boolean convert = table.isAnnexB(i);
    long outputSize = convert ? table.convertedSize(i) : size;
    video.add(ticks(frameNs(table, i, fragmentStartNs), VIDEO_TIMESCALE), outputSize,
        table.isKeyFrame(i) ? Fmp4Boxes.SAMPLE_FLAGS_SYNC : Fmp4Boxes.SAMPLE_FLAGS_NON_SYNC, 0);
    video.declaredNs = (long) table.durationTicks(i) * table.timecodeScaleNs();
    if (convert) {
      video.closeRun();
      video.runs.add(SampleRun.annexBFrame(0, table.offset(i), size, outputSize));
    } else {
      video.place(table.offset(i), size);
    }
  }

  private static void addAudio(Track audio, FrameTable table, int i, long fragmentStartNs,
      PlaybackTracks tracks) throws MediaFormatException {
    long size = table.frameSize(i);
    if (size <= 0) {
      throw MediaFormatException.invalidMediaFrame(
          "audio frame " + i + " of the fragment is empty");
    }
    long duration = tracks.aacSamplesPerFrame();
    if (tracks.pcmBytesPerFrame() > 0) {
      if (size % tracks.pcmBytesPerFrame() != 0) {
        throw MediaFormatException.invalidMediaFrame("audio frame " + i + " has " + size
            + " bytes, not a multiple of its " + tracks.pcmBytesPerFrame() + " channels");
      }
      duration = size / tracks.pcmBytesPerFrame();
    }
    audio.add(ticks(frameNs(table, i, fragmentStartNs), tracks.audioSampleRateHz()), size,
        Fmp4Boxes.SAMPLE_FLAGS_SYNC, duration);
    audio.place(table.offset(i), size);
  }

  /** Frame i's time on the session timeline; frames before the session's zero are put at 0. */
  private static long frameNs(FrameTable table, int i, long fragmentStartNs)
      throws MediaFormatException {
    try {
      long relativeNs = Math.multiplyExact((long) table.relativeTimeTicks(i),
          table.timecodeScaleNs());
      return Math.max(0, Math.addExact(fragmentStartNs, relativeNs));
    } catch (ArithmeticException e) {
      throw MediaFormatException.malformed("frame " + i + " time overflows", e);
    }
  }

  /**
   * An AAC segment's start moved to the nearest whole number of frames from time zero when it is
   * within {@link #AUDIO_GRID_TOLERANCE_NS} of it. Stored times are whole milliseconds, so
   * consecutive segments of continuous audio would otherwise overlap or gap by a fraction of a
   * millisecond where one ends and the next begins; on the grid they join sample-exactly. Audio
   * that does not sit on the grid (or G.711, {@code samplesPerFrame} 0) keeps its own time.
   */
  static long onFrameGrid(long ticks, long samplesPerFrame, long sampleRateHz) {
    if (samplesPerFrame <= 0) {
      return ticks;
    }
    long snapped = Math.round((double) ticks / samplesPerFrame) * samplesPerFrame;
    long toleranceTicks = AUDIO_GRID_TOLERANCE_NS * sampleRateHz / NS_PER_SECOND;
    return Math.abs(snapped - ticks) <= toleranceTicks ? snapped : ticks;
  }

  /** The last decoded frame lasts as declared, else as long as the frame before it. */
  private static long lastDuration(Track video, long[] dts) throws MediaFormatException {
    if (video.declaredNs > 0) {
      return ticks(video.declaredNs, VIDEO_TIMESCALE);
    }
    int n = dts.length;
    return n >= 2 ? Math.max(1, dts[n - 1] - dts[n - 2]) : FALLBACK_FRAME_TICKS;
  }

  /**
   * Nanoseconds (at least 0) to a timescale, rounded to nearest, without overflow: whole seconds
   * and the remainder are scaled separately.
   */
  static long ticks(long ns, long timescale) throws MediaFormatException {
    try {
      return Math.addExact(Math.multiplyExact(ns / NS_PER_SECOND, timescale),
          ((ns % NS_PER_SECOND) * timescale + NS_PER_SECOND / 2) / NS_PER_SECOND);
    } catch (ArithmeticException e) {
      throw MediaFormatException.malformed("time " + ns + " ns overflows", e);
    }
  }

  /** The samples of one track in decode (storage) order and the runs holding their bytes. */
  private static final class Track {
    final long[] times;
    final long[] sizes;
    final int[] flags;
    final long[] durations;
    final List<SampleRun> runs = new ArrayList<>();
    int count;
    long declaredNs;
    private long runOffset = -1;
    private long runLength;

    Track(int capacity) {
      times = new long[capacity];
      sizes = new long[capacity];
      flags = new int[capacity];
      durations = new long[capacity];
    }

    void add(long time, long size, int sampleFlags, long duration) {
      times[count] = time;
      sizes[count] = size;
      flags[count] = sampleFlags;
      durations[count] = duration;
      count++;
    }

    /** Appends stored bytes, extending the open run when they directly follow it. */
    void place(long offset, long size) {
      if (runOffset >= 0 && offset == runOffset + runLength) {
        runLength += size;
        return;
      }
      closeRun();
      runOffset = offset;
      runLength = size;
    }

    void closeRun() {
      if (runOffset >= 0) {
        runs.add(new SampleRun(0, runOffset, runLength));
        runOffset = -1;
      }
    }

    long payloadBytes() {
      closeRun();
      long total = 0;
      for (SampleRun r : runs) {
        total += r.outputBytes();
      }
      return total;
    }
  }
}
