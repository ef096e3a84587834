package io.framekeep.media;

import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.TrackInfo;

/**
 * Where a fragment's media lies on its timeline: the span of its <em>reference track</em>, which
 * Framekeep uses as the fragment's start (HLS program date-time, DASH segment start) and length
 * (ListFragments {@code FragmentLengthInMilliseconds}, HLS {@code #EXTINF}, DASH segment
 * duration).
 *
 * <p>The reference track is the fragment's video track, or, in a fragment without video, its
 * audio track (the first frame's track when the header declares neither). The span runs from the
 * track's earliest frame to the end of its latest frame. A frame ends at its time plus its
 * declared duration; when the latest frame declares none, one average frame spacing of that
 * track in the fragment after it begins ({@code (latest - earliest) / (frames - 1)}, not rounded to
 * whole ticks, so rounding does not accumulate over fragments).
 *
 * <p>Why one track: the tracks of an interleaved fragment do not start and end together. A
 * cluster may start with an AAC frame tens of ms before its key frame (its cluster timecode is
 * then that audio frame's) and its audio may run past its last video frame, so a span over every
 * track, or steps between cluster timecodes, differ from the video by up to a few audio frames
 * (2.02-2.09 s for fragments holding 2.000 s of video). The reference track's spans of a
 * continuous stream follow each other end to start: the lengths add up to the stream's duration
 * and each start plus length is the next start, within rounding.
 *
 * @param startOffsetNs the reference track's earliest frame minus the cluster timecode (may be
 *     negative when a block precedes its cluster timecode), 0 for an empty fragment
 * @param durationNs the reference track's span, 0 for an empty fragment
 */
public record FragmentSpan(long startOffsetNs, long durationNs) {
  private static final long NS_PER_MS = 1_000_000L;

  /** The span of the reference track of {@code frames}, a fragment stored under {@code header}. */
  public static FragmentSpan of(MkvHeader header, FrameTable frames) {
    int track = referenceTrack(header, frames);
    if (track < 0) {
      return new FragmentSpan(0, 0);
    }
    long earliest = Long.MAX_VALUE;
    long latest = Long.MIN_VALUE;
    int latestDuration = 0;
    long declaredEnd = Long.MIN_VALUE;
    int count = 0;
    for (int i = 0; i < frames.size(); i++) {
      if (frames.trackNumber(i) != track) {
        continue;
      }
      long t = frames.timeTicks(i);
      earliest = Math.min(earliest, t);
      if (t >= latest) {
        latest = t;
        latestDuration = frames.durationTicks(i);
      }
      if (frames.durationTicks(i) > 0) {
        declaredEnd = Math.max(declaredEnd, t + frames.durationTicks(i));
      }
      count++;
    }
    double endTicks;
    if (latestDuration > 0) {
      endTicks = Math.max(declaredEnd, latest + latestDuration);
    } else {
      double spacing = count > 1 ? (double) (latest - earliest) / (count - 1) : 0;
      endTicks = Math.max(latest + spacing, declaredEnd);
    }
    long scaleNs = frames.timecodeScaleNs();
    return new FragmentSpan((earliest - frames.clusterTimecodeTicks()) * scaleNs,
        Math.round((endTicks - earliest) * scaleNs));
  }

  /** {@link #durationNs} rounded to the nearest millisecond. */
  public long durationMs() {
    return Math.round((double) durationNs / NS_PER_MS);
  }

  /** {@link #startOffsetNs} rounded to the nearest millisecond. */
  public long startOffsetMs() {
    return Math.round((double) startOffsetNs / NS_PER_MS);
  }

  /**
   * The track whose span is the fragment's: the first video track of the header that has frames
   * here, else the first such audio track, else the first frame's track; -1 when empty.
   */
  private static int referenceTrack(MkvHeader header, FrameTable frames) {
    if (frames.size() == 0) {
      return -1;
    }
    int audio = -1;
    for (TrackInfo t : header.tracks()) {
      if (!hasFrames(frames, t.trackNumber())) {
        continue;
      }
      if (t.isVideo()) {
        return (int) t.trackNumber();
      }
      if (t.isAudio() && audio < 0) {
        audio = (int) t.trackNumber();
      }
    }
    return audio >= 0 ? audio : frames.trackNumber(0);
  }

  private static boolean hasFrames(FrameTable frames, long trackNumber) {
    for (int i = 0; i < frames.size(); i++) {
      if (frames.trackNumber(i) == trackNumber) {
        return true;
      }
    }
    return false;
  }
}
