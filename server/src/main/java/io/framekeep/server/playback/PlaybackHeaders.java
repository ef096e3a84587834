package io.framekeep.server.playback;

import io.framekeep.server.MediaErrors;
import io.framekeep.server.StoredHeaders;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.TrackInfo;
import io.framekeep.media.mp4.PlaybackTracks;
import io.framekeep.storage.FragmentLog;
import java.io.IOException;
import java.util.Arrays;

/**
 * Parsed stored MKV headers and the fragmented-MP4 tracks made from them, cached by header id
 * (headers are immutable once stored). A fragment can join a session when its header has the
 * session header's tracks, codecs and codec private data: the init segment is the session's.
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

  /** Whether a fragment with header {@code other} plays with the session's init segment. */
  boolean compatible(long sessionHeaderId, long other) throws IOException {
    if (sessionHeaderId == other) {
      return true;
    }
    try {
      MkvHeader a = header(sessionHeaderId);
      MkvHeader b = header(other);
      if (a.tracks().size() != b.tracks().size()) {
        return false;
      }
      for (int i = 0; i < a.tracks().size(); i++) {
        TrackInfo x = a.tracks().get(i);
        TrackInfo y = b.tracks().get(i);
        if (x.trackNumber() != y.trackNumber() || x.trackType() != y.trackType()
            || !x.codecId().equals(y.codecId())
            || !Arrays.equals(x.codecPrivate(), y.codecPrivate())) {
          return false;
        }
      }
      return true;
    } catch (MediaFormatException e) {
      return false;
    }
  }
}
