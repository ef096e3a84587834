package io.framekeep.media.mkv;

import java.util.Arrays;
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

  /**
   * Whether {@code other} declares the same tracks in the same order: numbers, types and codec IDs
   * (codec private data aside). Fragments of two such headers can share one clip or session.
   */
  public boolean sameTrackSet(MkvHeader other) {
    if (tracks.size() != other.tracks.size()) {
      return false;
    }
    for (int i = 0; i < tracks.size(); i++) {
      TrackInfo x = tracks.get(i);
      TrackInfo y = other.tracks.get(i);
      if (x.trackNumber() != y.trackNumber() || x.trackType() != y.trackType()
          || !x.codecId().equals(y.codecId())) {
        return false;
      }
    }
    return true;
  }

  /** Whether each track has the same codec private data as the track at its index in other. */
  public boolean sameCodecPrivateData(MkvHeader other) {
    if (tracks.size() != other.tracks.size()) {
      return false;
    }
    for (int i = 0; i < tracks.size(); i++) {
      if (!Arrays.equals(tracks.get(i).codecPrivate(), other.tracks.get(i).codecPrivate())) {
        return false;
      }
    }
    return true;
  }
}
