package io.framekeep.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The server data directories a benchmark makes under its work directory: new for each run, and
 * deleted when the run ends (an hour of media is about 2 GB), so repeated runs do not fill the disk.
 */
final class DataDirs {
  private DataDirs() {}

  static Path create(Path work, String prefix) throws IOException {
    return Files.createDirectories(work.resolve(prefix + System.nanoTime()));
  }

  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
