package io.framekeep.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive advisory lock on a file ({@link FileChannel#lock}), held until {@link #close} or
 * the process ends: the operating system releases it when its holder dies, so a lock that can be
 * taken means its last holder is gone. Used to mark a directory as in use by a live process (the
 * start-up warm-up's scratch directories). Thread-safe.
 */
public final class DirectoryLock implements AutoCloseable {
  private final FileChannel channel;

  private DirectoryLock(FileChannel channel) {
    this.channel = channel;
  }

  /**
   * Creates {@code lockFile} if needed and locks it.
   *
   * @throws IOException if it cannot be created or another holder (here or in another process)
   *     has it
   */
  public static DirectoryLock acquire(Path lockFile) throws IOException {
    FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    try {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        throw new IOException(lockFile + " is locked by another process");
      }
      return new DirectoryLock(ch);
    } catch (OverlappingFileLockException e) {
      ch.close();
      throw new IOException(lockFile + " is locked in this process", e);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * True when a live holder has {@code lockFile} locked; false when it is free or missing. A lock
   * whose state cannot be read counts as held (the caller then leaves the directory alone).
   */
  public static boolean isHeld(Path lockFile) {
    try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** Releases the lock. */
  @Override
  public void close() throws IOException {
    channel.close();
  }
}
