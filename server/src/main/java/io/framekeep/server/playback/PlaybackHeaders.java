package io.framekeep.server.playback;

import io.framekeep.server.MediaErrors;
import io.framekeep.server.StoredHeaders;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mp4.PlaybackTracks;
import io.framekeep.storage.FragmentLog;
import java.io.IOException;

/**
 * Parsed stored MKV headers and the fragmented-MP4 tracks made from them, cached by header id
 * (headers are immutable once stored). A fragment can join a session when its header has the
 * session header's tracks and codecs, and for DASH also its codec private data (see
 * {@link #playable}).
 * Thread-safe.
 */
final class PlaybackHeaders {
  private final StoredHeaders headers;

  PlaybackHeaders(FragmentLog fragments) {
    this.headers = new StoredHeaders(fragments);
  }

  MkvHeader header(long headerId) throws IOException, MediaFormatException {
    return headers.get(headerId);
  }

  /**
   * The session tracks of a header, checked in the spec §4.6 order, with the protocol's own
   * rules: HLS carries no G.711 (§4.5).
   *
   * @throws ApiException the codec error for the header
   */
  PlaybackTracks tracks(long headerId, PlaybackSession.Protocol protocol) throws IOException {
    try {
      PlaybackTracks tracks = PlaybackTracks.of(header(headerId));
      if (protocol == PlaybackSession.Protocol.HLS && tracks.hasG711Audio()) {
        throw ApiException.of(AwsError.UNSUPPORTED_STREAM_MEDIA_TYPE, "HLS supports AAC audio or"
            + " none; track " + tracks.audio().trackNumber() + " is G.711 ("
            + tracks.audio().codecId() + ")");
      }
      return tracks;
    } catch (MediaFormatException e) {
      throw MediaErrors.toApi(e);
    }
  }

  /**
   * Whether a fragment stored with header {@code other} may be played in a session of
   * {@code protocol} that started with header {@code sessionHeaderId}: both must have the same
   * tracks (numbers, types, codec IDs). DASH also needs the same codec private data (one init
   * segment per session); HLS allows it to change (spec §4.5), each change getting its own init
   * segment, provided the new codec private data can be played.
   */
  boolean playable(long sessionHeaderId, long other, PlaybackSession.Protocol protocol)
      throws IOException {
    if (sessionHeaderId == other) {
      return true;
    }
    try {
      MkvHeader a = header(sessionHeaderId);
      MkvHeader b = header(other);
      if (!a.sameTrackSet(b)) {
        return false;
      }
      if (a.sameCodecPrivateData(b)) {
        return true;
      }
      if (protocol != PlaybackSession.Protocol.HLS) {
        return false;
      }
      tracks(other, protocol);
      return true;
    } catch (MediaFormatException | ApiException e) {
      return false;
    }
  }
}
