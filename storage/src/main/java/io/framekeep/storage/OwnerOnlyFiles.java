package io.framekeep.storage;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates the data directory's directories (0700) and files (0600) readable by the server's user
 * only: they hold every stored video and the server's secret, which other local users must not
 * read. On file systems without POSIX permissions the platform's defaults apply. Stateless.
 */
public final class OwnerOnlyFiles {
  public static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private OwnerOnlyFiles() {}

  /** {@link Files#createDirectories} with every directory it creates 0700. */
  public static void createDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (posix(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
    } else {
      Files.createDirectories(dir);
    }
  }

  /** Creates an empty 0600 file; fails if it exists. */
  public static void createFile(Path file) throws IOException {
    if (posix(file)) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
    } else {
      Files.createFile(file);
    }
  }

  /** Creates an empty 0600 file unless one exists. */
  public static void createFileIfAbsent(Path file) throws IOException {
    try {
      createFile(file);
    } catch (FileAlreadyExistsException e) {
      // kept as it is
    }
  }

  /** The attribute for {@code FileChannel.open} of a new file, or none off POSIX. */
  public static FileAttribute<?>[] fileAttributes(Path file) {
    return posix(file)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
        : new FileAttribute<?>[0];
  }

  /**
   * Makes an existing directory 0700: data directories made by earlier versions were 0755, and
   * a directory others cannot enter keeps everything inside it from them.
   */
  public static void tightenDirectory(Path dir) throws IOException {
    if (posix(dir) && !Files.getPosixFilePermissions(dir).equals(DIRECTORY)) {
      Files.setPosixFilePermissions(dir, DIRECTORY);
    }
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
