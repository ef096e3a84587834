package io.framekeep.media.mkv;

import java.util.List;

/**
 * What a PutMedia body says before its first Cluster: the "MKV header" that KVS stores with every
 * fragment and replays in GetMedia chunks.
 *
 * @param rawBytes the EBML header, the Segment element header and every pre-cluster level-1
 *     element (Info, Tracks, Tags, SeekHead, Void, ...), byte-identical to what the producer sent
 * @param timecodeScaleNs the Info {@code TimecodeScale} (nanoseconds per tick; default 1,000,000)
 * @param tracks the declared tracks in {@code Tracks} order
 */
public record MkvHeader(byte[] rawBytes, long timecodeScaleNs, List<TrackInfo> tracks) {
  /** The Matroska default {@code TimecodeScale}: one millisecond per tick. */
  public static final long DEFAULT_TIMECODE_SCALE_NS = 1_000_000L;

  /** The track with this number, or null. */
  public TrackInfo track(long trackNumber) {
    for (TrackInfo t : tracks) {
      if (t.trackNumber() == trackNumber) {
        return t;
      }
    }
    return null;
  }
}
