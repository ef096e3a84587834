package io.framekeep.client;

/**
 * Progress of a long-clip download, called from the downloading thread after each piece.
 * Implementations must be quick.
 */
@FunctionalInterface
public interface ClipProgress {
  ClipProgress NONE = (fragmentsDone, fragmentsTotal, bytesDownloaded) -> { };

  /**
   * @param fragmentsDone fragments fetched so far
   * @param fragmentsTotal fragments in the range
   * @param bytesDownloaded MP4 bytes fetched so far
   */
  void onProgress(int fragmentsDone, int fragmentsTotal, long bytesDownloaded);
}
