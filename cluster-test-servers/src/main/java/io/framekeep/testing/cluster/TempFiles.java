package io.framekeep.testing.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Recursive deletion of the fixtures' temporary directories. */
final class TempFiles {

  private TempFiles() {}

  /** Deletes {@code dir} and everything under it (symbolic links are removed, never followed). */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (NoSuchFileException e) {
          // already gone
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Deletes {@code dir} when the JVM exits, best effort. */
  static void deleteOnExit(Path dir) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        deleteTree(dir);
      } catch (IOException e) {
        // best effort at exit
      }
    }, "delete " + dir));
  }
}
