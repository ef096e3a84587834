package io.framekeep.client;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of {@link FramekeepClient#downloadClip}.
 *
 * @param limits piece size limits (AWS's by default)
 * @param progress called after each piece
 * @param tempDir where pieces are spooled until joined; null means {@code java.io.tmpdir}
 */
public record ClipDownloadOptions(ClipLimits limits, ClipProgress progress, Path tempDir) {
  public ClipDownloadOptions {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(progress, "progress");
  }

  public static ClipDownloadOptions defaults() {
    return new ClipDownloadOptions(ClipLimits.awsDefaults(), ClipProgress.NONE, null);
  }

  public ClipDownloadOptions withLimits(ClipLimits newLimits) {
    return new ClipDownloadOptions(newLimits, progress, tempDir);
  }

  public ClipDownloadOptions withProgress(ClipProgress newProgress) {
    return new ClipDownloadOptions(limits, newProgress, tempDir);
  }
}
