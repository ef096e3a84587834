package io.framekeep.server;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import io.framekeep.media.MediaFormatException;

/** Maps a media failure found while packaging stored fragments to the AWS error for it (§4.6). */
public final class MediaErrors {
  private MediaErrors() {}

  public static ApiException toApi(MediaFormatException e) {
    AwsError error = switch (e.kind()) {
      case UNSUPPORTED -> AwsError.UNSUPPORTED_STREAM_MEDIA_TYPE;
      case MISSING_CODEC_PRIVATE_DATA -> AwsError.MISSING_CODEC_PRIVATE_DATA;
      case INVALID_CODEC_PRIVATE_DATA -> AwsError.INVALID_CODEC_PRIVATE_DATA;
      case INVALID_MEDIA_FRAME, MALFORMED -> AwsError.INVALID_MEDIA_FRAME;
    };
    return ApiException.of(error, e.getMessage());
  }
}
