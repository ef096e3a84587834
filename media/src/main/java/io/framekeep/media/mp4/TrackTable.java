package io.framekeep.media.mp4;

import io.framekeep.media.MediaFormatException;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code trak} in MP4 terms: timing already converted to the media timescale and run-length
 * encoded, chunk offsets still relative to the mdat payload (the file offset of the payload is
 * only known once the whole {@code moov} is sized). Immutable once built.
 *
 * <p>Gaps (a pause in recording, or the time between two PutMedia uploads of one clip): the
 * sample before a gap lasts until the next sample starts, in both tracks. The timeline keeps the
 * real distance between the two sides, players show the last video frame through the gap, and
 * every sample stays in the one edit of its track; a multi-entry edit list could say the same but
 * players handle those unevenly. Video gets this from its decode times being its sorted
 * presentation times; audio from {@link #MIN_AUDIO_GAP_NS}.
 */
final class TrackTable {
  /** Movie ({@code mvhd}) timescale: milliseconds, as ffmpeg and QuickTime write. */
  static final long MOVIE_TIMESCALE = 1000;
  /** Video media timescale: the MPEG 90 kHz clock, exact for all common frame rates. */
  static final long VIDEO_TIMESCALE = 90_000;
  /** Frame duration assumed for a one-frame clip with no declared duration (1/30 s). */
  static final long FALLBACK_FRAME_DURATION = VIDEO_TIMESCALE / 30;
  private static final long NS_PER_SECOND = 1_000_000_000L;
  /**
   * Smallest hole in audio timestamps treated as a gap (a pause in recording, or the time between
   * two PutMedia uploads) rather than timestamp jitter. Audio timestamps are rounded to the
   * timecode scale (1 ms) and capture jitter is tens of milliseconds, both far below this; 100 ms
   * is also the most audio may lag video before lip sync visibly suffers, so a shorter hole left
   * unstretched costs at most that much.
   */
  static final long MIN_AUDIO_GAP_NS = 100_000_000L;

  /** One {@code elst} entry: media_time -1 is an empty edit. Durations in movie timescale. */
  record Edit(long segmentDuration, long mediaTime) {}

  final int trackId;
  final boolean isVideo;
  final long timescale;
  final long mediaDuration;
  /** stts as (sample_count, sample_delta) pairs. */
  final long[] stts;
  /** ctts as (sample_count, sample_offset) pairs, or null when every offset is 0. */
  final long[] ctts;
  /** stss sample numbers, or null when every sample is a sync sample. */
  final long[] syncSamples;
  final long[] sampleSizes;
  /** stsc as (first_chunk, samples_per_chunk) pairs; sample_description_index is always 1. */
  final long[] stsc;
  final long[] chunkPayloadOffsets;
  final List<Edit> edits;
  final Box sampleEntry;
  final int width;
  final int height;

  private TrackTable(int trackId, boolean isVideo, long timescale, long mediaDuration, long[] stts,
      long[] ctts, long[] syncSamples, SampleCollector.TrackSamples samples, List<Edit> edits,
      Box sampleEntry, int width, int height) {
    this.trackId = trackId;
    this.isVideo = isVideo;
    this.timescale = timescale;
    this.mediaDuration = mediaDuration;
    this.stts = stts;
    this.ctts = ctts;
    this.syncSamples = syncSamples;
    this.sampleSizes = samples.sizes.toArray();
    this.stsc = stsc(samples.chunkSampleCounts);
    this.chunkPayloadOffsets = samples.chunkPayloadOffsets.toArray();
    this.edits = List.copyOf(edits);
    this.sampleEntry = sampleEntry;
    this.width = width;
    this.height = height;
  }

  /** Total presentation duration of this track in the movie timescale (sum of its edits). */
  long presentationDuration() {
    long total = 0;
    for (Edit e : edits) {
      total += e.segmentDuration();
    }
    return total;
  }

  /**
   * Video timing. Matroska block times are presentation times; decode times are the sorted
   * presentation times, shifted so that no frame decodes after it is shown. The shift becomes the
   * composition offset of the first presented frame, which the edit list hides.
   *
   * @param originNs presentation time (ns) that becomes time zero of the movie: the first
   *     presented frame, or later when the clip is trimmed (earlier frames still decode, hidden)
   * @param endNs presentation time (ns) where the movie ends, or {@code Long.MAX_VALUE}
   * @param defaultDurationNs the track's DefaultDuration, or 0
   */
  static TrackTable video(int trackId, SampleCollector.TrackSamples samples, long originNs,
      long endNs, long defaultDurationNs, VideoCodec.VisualFormat format)
      throws MediaFormatException {
    int n = samples.count();
    long firstNs = Long.MAX_VALUE;
    for (int i = 0; i < n; i++) {
      firstNs = Math.min(firstNs, samples.timesNs.get(i));
    }
    long[] pts = new long[n];
    for (int i = 0; i < n; i++) {
      pts[i] = toTimescale(samples.timesNs.get(i) - firstNs, VIDEO_TIMESCALE);
    }
    long[] sorted = pts.clone();
    Arrays.sort(sorted);
    long shift = 0;
    for (int i = 0; i < n; i++) {
      shift = Math.max(shift, sorted[i] - pts[i]);
    }
    long lastDuration = lastDuration(samples, defaultDurationNs, sorted);
    RunLength stts = new RunLength();
    for (int i = 0; i + 1 < n; i++) {
      stts.add(sorted[i + 1] - sorted[i]);
    }
    stts.add(lastDuration);
    RunLength ctts = new RunLength();
    boolean anyOffset = false;
    for (int i = 0; i < n; i++) {
      long offset = pts[i] + shift - sorted[i];
      anyOffset |= offset != 0;
      ctts.add(offset);
    }
    long mediaDuration = sorted[n - 1] - sorted[0] + lastDuration;
    // Shown: from the origin to the end of the last frame or the trim end, whichever is first.
    long skip = Math.min(toTimescale(originNs - firstNs, VIDEO_TIMESCALE), mediaDuration - 1);
    long shown = mediaDuration - skip;
    if (endNs != Long.MAX_VALUE) {
      shown = Math.max(1, Math.min(shown, toTimescale(endNs - originNs, VIDEO_TIMESCALE)));
    }
    List<Edit> edits =
        List.of(new Edit(toMovieCeil(shown, VIDEO_TIMESCALE), shift + skip));
    boolean allSync = samples.syncSamples.size() == n;
    Box entry = Mp4Boxes.videoSampleEntry(format);
    return new TrackTable(trackId, true, VIDEO_TIMESCALE, mediaDuration, stts.toArray(),
        anyOffset ? ctts.toArray() : null, allSync ? null : samples.syncSamples.toArray(),
        samples, edits, entry, format.width(), format.height());
  }

  /**
   * Audio timing: an AAC sample lasts {@code samplesPerFrame} ticks of the sample rate; a G.711
   * sample lasts its byte count divided by the channel count, except before a gap: when the next
   * sample's timestamp lies at least {@link #MIN_AUDIO_GAP_NS} beyond where the samples so far
   * end, the sample lasts until it, so audio after a gap stays in sync with its video. The track is
   * placed relative to the movie origin with an empty edit (starts later) or a trimmed media time
   * (starts earlier).
   *
   * @throws MediaFormatException invalid media frame when a G.711 sample is not a whole number of
   *     multi-channel samples
   */
  static TrackTable audio(int trackId, SampleCollector.TrackSamples samples, long originNs,
      long endNs, AudioCodec.AudioFormat format) throws MediaFormatException {
    int n = samples.count();
    long timescale = format.sampleRateHz();
    long mediaDuration = 0;
    long minGap = toTimescale(MIN_AUDIO_GAP_NS, timescale);
    long firstNs = samples.timesNs.get(0);
    RunLength stts = new RunLength();
    for (int i = 0; i < n; i++) {
      long duration = sampleDuration(format, samples.sizes.get(i), i);
      if (i + 1 < n) {
        // Across a gap the sample before it lasts until the next one starts (see MIN_AUDIO_GAP_NS).
        long nextStart = toTimescale(Math.max(0, samples.timesNs.get(i + 1) - firstNs), timescale);
        if (nextStart - (mediaDuration + duration) >= minGap) {
          duration = nextStart - mediaDuration;
        }
      }
      stts.add(duration);
      mediaDuration += duration;
    }
    long startNs = samples.timesNs.get(0) - originNs;
    long maxShown = endNs == Long.MAX_VALUE ? Long.MAX_VALUE
        : Math.max(1, toTimescale(endNs - Math.max(originNs, samples.timesNs.get(0)), timescale));
    List<Edit> edits;
    if (startNs > 0) {
      long empty = toTimescale(startNs, MOVIE_TIMESCALE);
      long shown = Math.min(mediaDuration, maxShown);
      edits = empty == 0
          ? List.of(new Edit(toMovieCeil(shown, timescale), 0))
          : List.of(new Edit(empty, -1), new Edit(toMovieCeil(shown, timescale), 0));
    } else {
      long trim = Math.min(toTimescale(-startNs, timescale), mediaDuration);
      long shown = Math.min(mediaDuration - trim, maxShown);
      edits = List.of(new Edit(toMovieCeil(shown, timescale), trim));
    }
    Box entry = Mp4Boxes.audioSampleEntry(format, samples);
    return new TrackTable(trackId, false, timescale, mediaDuration, stts.toArray(), null, null,
        samples, edits, entry, 0, 0);
  }

  private static long sampleDuration(AudioCodec.AudioFormat format, long sizeBytes, int sample)
      throws MediaFormatException {
    if (!format.isPcm()) {
      return format.samplesPerFrame();
    }
    if (sizeBytes % format.bytesPerPcmFrame() != 0) {
      throw MediaFormatException.invalidMediaFrame("audio sample " + sample + " has " + sizeBytes
          + " bytes, not a multiple of its " + format.bytesPerPcmFrame() + " channels");
    }
    return sizeBytes / format.bytesPerPcmFrame();
  }

  private static long lastDuration(
      SampleCollector.TrackSamples samples, long defaultDurationNs, long[] sorted)
      throws MediaFormatException {
    if (samples.lastDeclaredDurationNs > 0) {
      return toTimescale(samples.lastDeclaredDurationNs, VIDEO_TIMESCALE);
    }
    if (defaultDurationNs > 0) {
      return toTimescale(defaultDurationNs, VIDEO_TIMESCALE);
    }
    int n = sorted.length;
    return n >= 2 ? sorted[n - 1] - sorted[n - 2] : FALLBACK_FRAME_DURATION;
  }

  /**
   * Nanoseconds (≥ 0) to a timescale, rounded to nearest, computed exactly without overflow for
   * any long input: whole seconds and the sub-second remainder are scaled separately, so times
   * converted from absolute values never accumulate drift.
   */
  static long toTimescale(long ns, long timescale) throws MediaFormatException {
    if (ns < 0) {
      throw MediaFormatException.malformed("negative time " + ns + " ns in clip");
    }
    long seconds = ns / NS_PER_SECOND;
    long remainder = ns % NS_PER_SECOND;
    try {
      return Math.addExact(Math.multiplyExact(seconds, timescale),
          (remainder * timescale + NS_PER_SECOND / 2) / NS_PER_SECOND);
    } catch (ArithmeticException e) {
      throw MediaFormatException.malformed("clip time " + ns + " ns overflows", e);
    }
  }

  /** A media duration in the movie timescale, rounded up so the last sample is never cut. */
  static long toMovieCeil(long duration, long mediaTimescale) {
    long seconds = duration / mediaTimescale;
    long remainder = duration % mediaTimescale;
    return seconds * MOVIE_TIMESCALE
        + (remainder * MOVIE_TIMESCALE + mediaTimescale - 1) / mediaTimescale;
  }

  private static long[] stsc(LongArray chunkSampleCounts) {
    LongArray out = new LongArray();
    long previous = -1;
    for (int c = 0; c < chunkSampleCounts.size(); c++) {
      long count = chunkSampleCounts.get(c);
      if (count != previous) {
        out.add(c + 1L); // first_chunk
        out.add(count); // samples_per_chunk
        previous = count;
      }
    }
    return out.toArray();
  }

  /** Run-length encoder producing (count, value) pairs. */
  private static final class RunLength {
    private final LongArray pairs = new LongArray();

    void add(long value) throws MediaFormatException {
      if (value < 0 || value > 0xFFFF_FFFFL) {
        throw MediaFormatException.malformed("sample delta " + value + " does not fit 32 bits");
      }
      int n = pairs.size();
      if (n > 0 && pairs.get(n - 1) == value) {
        pairs.set(n - 2, pairs.get(n - 2) + 1);
      } else {
        pairs.add(1);
        pairs.add(value);
      }
    }

    long[] toArray() {
      return pairs.toArray();
    }
  }
}
