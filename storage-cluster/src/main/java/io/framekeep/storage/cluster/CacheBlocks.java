package io.framekeep.storage.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The block files of the local cache directory: which blocks are there, their total size bounded by
 * {@code maxBytes} with least-recently-used eviction, and one fetch per missing block however many readers
 * want it at once (the others wait for it).
 *
 * <p>Directory (owner-only permissions): {@code <dir>/lock} (held by the process while open: two processes never share a directory)
 * and {@code <dir>/blocks/<sha256 of the object key>-<block index>} in the {@link CacheBlockFile} format,
 * plus {@code .tmp} files being written. <b>The directory is wiped on open</b>: blocks are cheap to fetch
 * again, and a cache that starts empty needs no recovery of files a crash or a full disk left half written.
 *
 * <p>The bound counts complete block files (header included). Blocks being fetched are not counted until
 * complete, so the directory may exceed the bound by the blocks in flight (a few per concurrent read).
 *
 * <p>Thread safety: any thread.
 */
final class CacheBlocks implements AutoCloseable {

  /** A block of one object. */
  record BlockId(String key, long index) {}

  private final Path blocksDir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final ObjectStore store;
  private final long maxBytes;
  private final int blockBytes;
  private final int chunkBytes;
  /** Complete blocks in access order (eldest first), with their file sizes; guarded by itself. */
  private final LinkedHashMap<BlockId, Long> present = new LinkedHashMap<>(16, 0.75f, true);
  private long presentBytes;
  private final Map<BlockId, CompletableFuture<Void>> fetching = new ConcurrentHashMap<>();
  private final AtomicLong tmpCounter = new AtomicLong();
  final AtomicLong hits = new AtomicLong();
  final AtomicLong misses = new AtomicLong();
  final AtomicLong corrupt = new AtomicLong();
  final AtomicLong evictions = new AtomicLong();

  private CacheBlocks(Path blocksDir, FileChannel lockChannel, FileLock lock, ObjectStore store, long maxBytes,
      int blockBytes, int chunkBytes) {
    this.blocksDir = blocksDir;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.store = store;
    this.maxBytes = maxBytes;
    this.blockBytes = blockBytes;
    this.chunkBytes = chunkBytes;
  }

  /**
   * Locks {@code dir} (created if absent) for this process and empties its blocks.
   *
   * @throws IOException if the directory cannot be created or written, or another process holds it
   */
  static CacheBlocks open(Path dir, ObjectStore store, long maxBytes, int blockBytes, int chunkBytes)
      throws IOException {
    Files.createDirectories(dir);
    ownerOnly(dir);
    FileChannel lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    try {
      FileLock lock;
      try {
        lock = lockChannel.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException heldInThisProcess) {
        lock = null;
      }
      if (lock == null) {
        throw new IOException("the cache directory " + dir + " is in use by another process; give each node a"
            + " --cache-dir of its own");
      }
      Path blocks = dir.resolve("blocks");
      wipe(blocks);
      Files.createDirectories(blocks);
      return new CacheBlocks(blocks, lockChannel, lock, store, maxBytes, blockBytes, chunkBytes);
    } catch (IOException | RuntimeException e) {
      lockChannel.close();
      throw e;
    }
  }

  /** Cached blocks are stream media: the directory is the owner's alone, like the data directory. */
  private static void ownerOnly(Path dir) throws IOException {
    try {
      Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    } catch (UnsupportedOperationException notPosix) {
      // the platform's own access rules apply
    }
  }

  private static void wipe(Path blocks) throws IOException {
    if (!Files.isDirectory(blocks)) {
      return;
    }
    try (Stream<Path> files = Files.list(blocks)) {
      for (Iterator<Path> it = files.iterator(); it.hasNext(); ) {
        Files.deleteIfExists(it.next());
      }
    }
  }

  int blockBytes() {
    return blockBytes;
  }

  int chunkBytes() {
    return chunkBytes;
  }

  /**
   * Opens block {@code id}, fetching it first if it is not here (or another reader's fetch of it, if one is
   * running). A file that fails its header check is dropped and fetched again, once.
   *
   * @throws java.nio.file.NoSuchFileException if the object does not exist
   * @throws ObjectStoreException if the store failed
   * @throws IOException if the block cannot be written locally either (the caller reads past the cache)
   */
  CacheBlockFile open(BlockId id) throws IOException {
    for (int attempt = 0; ; attempt++) {
      if (!isPresent(id)) {
        fetch(id);
      } else {
        hits.incrementAndGet();
      }
      try {
        return CacheBlockFile.open(file(id), blockBytes, chunkBytes);
      } catch (java.nio.file.NoSuchFileException evictedMeanwhile) {
        forget(id);
        if (attempt >= 2) {
          throw new IOException("cache block " + id + " keeps being evicted before it is read");
        }
      } catch (CacheBlockFile.CorruptBlockException e) {
        drop(id);
        if (attempt >= 2) {
          throw e;
        }
      }
    }
  }

  private boolean isPresent(BlockId id) {
    synchronized (present) {
      return present.get(id) != null;
    }
  }

  /** Fetches {@code id} unless another thread is fetching it, then waits for that fetch. */
  private void fetch(BlockId id) throws IOException {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> running = fetching.putIfAbsent(id, mine);
    if (running != null) {
      try {
        running.join();
        return;
      } catch (CompletionException e) {
        throw rethrown(e.getCause());
      }
    }
    try {
      if (!isPresent(id)) { // fetched by another thread between the check and the claim
        misses.incrementAndGet();
        load(id);
      }
      mine.complete(null);
    } catch (IOException | RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      fetching.remove(id, mine);
    }
  }

  private static IOException rethrown(Throwable cause) {
    if (cause instanceof IOException io) {
      return io;
    }
    if (cause instanceof RuntimeException r) {
      throw r;
    }
    if (cause instanceof Error e) {
      throw e;
    }
    return new IOException(cause);
  }

  /**
   * One ranged GET of the block into a temporary file, renamed into place, then counted. Failures of the store
   * are thrown as they are; failures of the local disk as {@link LocalDiskException}.
   */
  private void load(BlockId id) throws IOException {
    Path tmp = blocksDir.resolve(name(id) + "." + tmpCounter.incrementAndGet() + ".tmp");
    long offset = id.index() * blockBytes;
    try (InputStream in = store.openRangeUpTo(id.key(), offset, blockBytes)) {
      int length;
      try {
        length = CacheBlockFile.write(in, tmp, blockBytes, chunkBytes);
        Files.move(tmp, file(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (CacheBlockFile.StoreReadException e) {
        throw (IOException) e.getCause();
      } catch (IOException e) {
        throw new LocalDiskException("writing cache block " + tmp + " failed: " + e, e);
      }
      add(id, (long) CacheBlockFile.headerBytes(blockBytes, chunkBytes) + length);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // the directory is wiped on the next start
      }
    }
  }

  /** The local cache directory failed (disk full, I/O error): the read goes to the store instead. */
  static final class LocalDiskException extends IOException {
    private static final long serialVersionUID = 1L;

    LocalDiskException(String message, IOException cause) {
      super(message, cause);
    }
  }

  /** Counts a new block and evicts the least recently used ones beyond the bound. */
  private void add(BlockId id, long fileBytes) {
    List<BlockId> evicted = new ArrayList<>();
    synchronized (present) {
      Long old = present.put(id, fileBytes);
      presentBytes += fileBytes - (old == null ? 0 : old);
      Iterator<Map.Entry<BlockId, Long>> eldest = present.entrySet().iterator();
      while (presentBytes > maxBytes && eldest.hasNext()) {
        Map.Entry<BlockId, Long> e = eldest.next();
        if (e.getKey().equals(id)) {
          continue; // the block just fetched is about to be read
        }
        presentBytes -= e.getValue();
        evicted.add(e.getKey());
        eldest.remove();
      }
    }
    for (BlockId e : evicted) {
      evictions.incrementAndGet();
      deleteQuietly(file(e));
    }
  }

  /** Drops a corrupt block: forgotten and its file deleted. */
  private void drop(BlockId id) {
    corrupt.incrementAndGet();
    forget(id);
    deleteQuietly(file(id));
  }

  /** Drops {@code id} after a reader found a chunk of it corrupt. */
  void dropCorrupt(BlockId id) {
    drop(id);
  }

  /** Deletes a block file; one that cannot be deleted is no longer counted, and the next start wipes it. */
  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // see above
    }
  }

  private void forget(BlockId id) {
    synchronized (present) {
      Long size = present.remove(id);
      if (size != null) {
        presentBytes -= size;
      }
    }
  }

  /** Drops every block of {@code key} (the object was deleted). */
  void evict(String key) {
    List<BlockId> gone = new ArrayList<>();
    synchronized (present) {
      for (Iterator<Map.Entry<BlockId, Long>> it = present.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<BlockId, Long> e = it.next();
        if (e.getKey().key().equals(key)) {
          presentBytes -= e.getValue();
          gone.add(e.getKey());
          it.remove();
        }
      }
    }
    for (BlockId id : gone) {
      deleteQuietly(file(id));
    }
  }

  /** Bytes of complete block files. */
  long sizeBytes() {
    synchronized (present) {
      return presentBytes;
    }
  }

  /** How many complete blocks are here. */
  int blockCount() {
    synchronized (present) {
      return present.size();
    }
  }

  Path file(BlockId id) {
    return blocksDir.resolve(name(id));
  }

  private static String name(BlockId id) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.key().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest) + "-" + id.index();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      // releasing a lock on close; the OS releases it with the process anyway
    }
  }
}
