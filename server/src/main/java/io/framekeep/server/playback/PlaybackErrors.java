package io.framekeep.server.playback;


/** AWS wording shared by the playback operations. */
final class PlaybackErrors {
  /** AWS's wording when a session would have no fragment (spec §3.5). */
  static final String NO_FRAGMENTS = "No fragments found in the stream for the streaming request.";

  private PlaybackErrors() {}
}
