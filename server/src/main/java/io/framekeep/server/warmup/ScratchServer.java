package io.framekeep.server.warmup;

import io.framekeep.server.FramekeepServer;
import io.framekeep.server.ServerConfig;
import io.framekeep.server.ServiceLimits;
import io.framekeep.storage.DirectoryLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * A throwaway Framekeep server: the same code as the real one, embedded storage in a fresh
 * temporary directory, loopback on a free port, SigV4 with a random credential, fragment quotas
 * off (its only client is the warm-up, which sends faster than AWS's per-stream rates allow).
 *
 * <p>Directory layout: {@code PARENT/framekeep-scratch-RANDOM/} holding {@code scratch.lock} and
 * the data directory {@code data/}. The lock file is locked ({@link DirectoryLock}) for the
 * server's whole life, so that {@link #removeLeftovers} can tell a directory left by a killed
 * process (lock free) from one in use by a live one (lock held), and removes only the former.
 * {@link #close} stops the server and removes the directory.
 *
 * <p>Thread-safe as {@link FramekeepServer} is; {@link #close} once.
 */
public final class ScratchServer implements AutoCloseable {
  static final String DIR_PREFIX = "framekeep-scratch-";
  static final String LOCK_FILE = "scratch.lock";
  /** A start creates the directory and locks it within milliseconds; a minute is generous. */
  static final long UNLOCKED_GRACE_MS = 60_000;

  private final Path dir;
  private final DirectoryLock lock;
  private final FramekeepServer server;
  private final WarmUpSigner signer;

  private ScratchServer(Path dir, DirectoryLock lock, FramekeepServer server,
      WarmUpSigner signer) {
    this.dir = dir;
    this.lock = lock;
    this.server = server;
    this.signer = signer;
  }

  /**
   * Removes leftovers under {@code parent}, then creates, locks and serves a new scratch
   * directory there. Its I/O and worker threads are named after {@code threadNamePrefix}.
   *
   * @throws IOException if the directory or the server cannot be made (nothing is left behind)
   */
  public static ScratchServer start(Path parent, String threadNamePrefix)
      throws IOException, InterruptedException {
    removeLeftovers(parent);
    Path dir = Files.createTempDirectory(parent, DIR_PREFIX);
    DirectoryLock lock = null;
    try {
      lock = DirectoryLock.acquire(dir.resolve(LOCK_FILE));
      SecureRandom random = new SecureRandom();
      String keyId = "FKIASCRATCH" + HexFormat.of().withUpperCase().formatHex(randomBytes(random, 5));
      String secret = HexFormat.of().formatHex(randomBytes(random, 20));
      ServerConfig config = ServerConfig.defaults(dir.resolve("data"))
          .withPort(0)
          .withCredential(keyId, secret)
          .withLimits(ServiceLimits.awsDefaults()
              .withFragmentQuotas(false, Integer.MAX_VALUE, Integer.MAX_VALUE));
      FramekeepServer server = FramekeepServer.startWithThreadNames(config, threadNamePrefix);
      return new ScratchServer(dir, lock, server,
          new WarmUpSigner(keyId, secret, config.region()));
    } catch (IOException | InterruptedException | RuntimeException e) {
      closeQuietly(lock);
      deleteTree(dir);
      throw e;
    }
  }

  /**
   * Deletes every scratch directory under {@code parent} whose lock no process holds (left by a
   * process that was killed before it could remove it). Returns how many were removed.
   */
  public static int removeLeftovers(Path parent) throws IOException {
    if (!Files.isDirectory(parent)) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, DIR_PREFIX + "*")) {
      for (Path dir : dirs) {
        if (Files.isDirectory(dir) && lockIsFree(dir)) {
          deleteTree(dir);
          removed++;
        }
      }
    }
    return removed;
  }

  /**
   * True when no process holds {@code dir}'s lock. A directory without a lock file is free only
   * once older than {@link #UNLOCKED_GRACE_MS}: younger, it may be another process's, made a
   * moment ago and about to be locked.
   */
  private static boolean lockIsFree(Path dir) {
    Path lockFile = dir.resolve(LOCK_FILE);
    if (!Files.exists(lockFile)) {
      try {
        return Files.getLastModifiedTime(dir).toMillis()
            < System.currentTimeMillis() - UNLOCKED_GRACE_MS;
      } catch (IOException e) {
        return false;
      }
    }
    return !DirectoryLock.isHeld(lockFile);
  }

  public int port() {
    return server.port();
  }

  /** The scratch directory (for tests: it must be gone after {@link #close}). */
  public Path directory() {
    return dir;
  }

  /** Signs requests with the scratch server's credential. */
  WarmUpSigner signer() {
    return signer;
  }

  /** Stops the server and deletes its directory. */
  @Override
  public void close() throws IOException {
    try {
      server.close();
    } finally {
      closeQuietly(lock);
      deleteTree(dir);
    }
  }

  private static byte[] randomBytes(SecureRandom random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static void closeQuietly(DirectoryLock lock) {
    if (lock != null) {
      try {
        lock.close();
      } catch (IOException e) {
        // the directory is deleted next; nothing else holds the channel
      }
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
