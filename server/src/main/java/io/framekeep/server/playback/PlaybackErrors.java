package io.framekeep.server.playback;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import io.framekeep.media.MediaFormatException;

/** Maps a media failure found while packaging stored fragments to its AWS error (spec §4.6). */
final class PlaybackErrors {
  /** AWS's wording when a session would have no fragment (spec §3.5). */
  static final String NO_FRAGMENTS = "No fragments found in the stream for the streaming request.";

  private PlaybackErrors() {}

  static ApiException toApi(MediaFormatException e) {
    AwsError error = switch (e.kind()) {
      case UNSUPPORTED -> AwsError.UNSUPPORTED_STREAM_MEDIA_TYPE;
      case MISSING_CODEC_PRIVATE_DATA -> AwsError.MISSING_CODEC_PRIVATE_DATA;
      case INVALID_CODEC_PRIVATE_DATA -> AwsError.INVALID_CODEC_PRIVATE_DATA;
      case INVALID_MEDIA_FRAME, MALFORMED -> AwsError.INVALID_MEDIA_FRAME;
    };
    return ApiException.of(error, e.getMessage());
  }
}
