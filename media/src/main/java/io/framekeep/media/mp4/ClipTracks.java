package io.framekeep.media.mp4;

import io.framekeep.media.MediaFormatException;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.TrackInfo;

/**
 * The tracks of a clip, chosen and validated per the GetClip rules (KVS spec §4.5, §4.6): the
 * first video track must be H.264 or H.265; the first audio track, if any, AAC or (with H.264 only)
 * G.711 A-law or µ-law; all other tracks are left out. Checks run in the order the exceptions are
 * documented: codec IDs (unsupported), then codec private data presence (missing), then its
 * parsing (invalid).
 *
 * @param video the video track
 * @param videoFormat its sample-entry description
 * @param audio the audio track, or null
 * @param audioFormat its sample-entry description, or null
 */
record ClipTracks(
    TrackInfo video,
    VideoCodec.VisualFormat videoFormat,
    TrackInfo audio,
    AudioCodec.AudioFormat audioFormat) {

  static ClipTracks select(MkvHeader header) throws MediaFormatException {
    TrackInfo video = null;
    TrackInfo audio = null;
    for (TrackInfo track : header.tracks()) {
      if (video == null && track.isVideo()) {
        video = track;
      } else if (audio == null && track.isAudio()) {
        audio = track;
      }
    }
    if (video == null) {
      throw MediaFormatException.unsupported("a clip needs a video track; the stream has none");
    }
    VideoCodec videoCodec = VideoCodec.forCodecId(video.codecId());
    AudioCodec audioCodec = audio == null ? null : AudioCodec.forTrack(audio);
    if (audioCodec != null && !videoCodec.allowsAudio(audioCodec)) {
      throw MediaFormatException.unsupported("clips with " + video.codecId() + " video support "
          + "AAC audio or none; track " + audio.trackNumber() + " is " + audio.codecId() + " "
          + audioCodec);
    }
    requireCodecPrivate(video);
    if (audio != null) {
      requireCodecPrivate(audio);
    }
    VideoCodec.VisualFormat videoFormat = videoCodec.describe(video);
    AudioCodec.AudioFormat audioFormat = audio == null ? null : audioCodec.describe(audio);
    return new ClipTracks(video, videoFormat, audio, audioFormat);
  }

  boolean hasAudio() {
    return audio != null;
  }

  private static void requireCodecPrivate(TrackInfo track) throws MediaFormatException {
    if (!track.hasCodecPrivate()) {
      throw MediaFormatException.missingCodecPrivateData(
          "track " + track.trackNumber() + " (" + track.codecId() + ") has no codec private data");
    }
  }
}
