package io.framekeep.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Segment files of all streams and the per-stream state that decides which segment is newest.
 *
 * <h2>On-disk layout</h2>
 *
 * <pre>
 * dataDir/streams/&lt;streamId&gt;/&lt;segmentId&gt;.seg     decimal ids, no padding; segment ids start at 1
 * </pre>
 *
 * <h2>Segment file format</h2>
 *
 * A segment is the plain concatenation of the payloads of the fragments committed into it, in commit order,
 * with no header, framing or padding, so that a fragment is served with one {@code transferTo} of
 * {@code [offset, offset + length)}. The framing lives in the index ({@code fragments.segment_offset},
 * {@code length_bytes}, see {@link Database}), which is committed only after the segment bytes are fsync'd;
 * hence any bytes beyond the end of the last indexed fragment of a segment are an uncommitted (torn) tail and
 * are truncated by {@link Recovery} and by {@link SegmentAppender} when it opens. Files are only ever appended
 * to at the end or truncated back to a committed end; whole files are deleted by retention
 * ({@link SqliteFragmentLog#deleteOlderThan}) and stream deletion. The newest segment of a stream (highest id)
 * is the active one and is never deleted while the stream exists, so segment ids are never reused.
 *
 * <p>Thread safety: per-stream state is guarded by the {@link StreamSegments} monitor; holding it, callers may
 * take the database lock (never the reverse).
 */
final class SegmentStore {

  static final String SEGMENT_SUFFIX = ".seg";

  /** 18: the longest decimal string that always fits in a {@code long}; longer names are not ours. */
  private static final int MAX_ID_DIGITS = 18;

  /**
   * Mutable per-stream state, guarded by its own monitor. {@code newestSegmentId} is 0 until the first segment
   * is created; {@code -1} means not loaded from disk yet.
   */
  static final class StreamSegments {
    final long streamId;
    long newestSegmentId = -1;
    boolean appenderOpen;
    boolean deleted;

    StreamSegments(long streamId) {
      this.streamId = streamId;
    }
  }

  private final Path streamsDir;
  private final ConcurrentHashMap<Long, StreamSegments> states = new ConcurrentHashMap<>();

  SegmentStore(Path streamsDir) {
    this.streamsDir = streamsDir;
  }

  Path streamsDir() {
    return streamsDir;
  }

  Path streamDir(long streamId) {
    return streamsDir.resolve(Long.toString(streamId));
  }

  Path segmentPath(long streamId, long segmentId) {
    return streamDir(streamId).resolve(segmentId + SEGMENT_SUFFIX);
  }

  /** The state of a stream, with {@code newestSegmentId} loaded. Lock the result before using it. */
  StreamSegments state(long streamId) throws IOException {
    StreamSegments state = states.computeIfAbsent(streamId, StreamSegments::new);
    synchronized (state) {
      if (state.newestSegmentId < 0) {
        List<Long> ids = segmentIds(streamId);
        state.newestSegmentId = ids.isEmpty() ? 0 : ids.get(ids.size() - 1);
      }
    }
    return state;
  }

  /** The ids of the stream's segment files, ascending; empty if it has none. */
  List<Long> segmentIds(long streamId) throws IOException {
    Path dir = streamDir(streamId);
    List<Long> ids = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return ids;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SEGMENT_SUFFIX)) {
      for (Path file : files) {
        Long id = parseId(file.getFileName().toString(), SEGMENT_SUFFIX);
        if (id != null) {
          ids.add(id);
        }
      }
    }
    ids.sort(Comparator.naturalOrder());
    return ids;
  }

  /**
   * Creates the next segment of a stream and makes its directory entry durable. Caller holds the state's
   * monitor.
   */
  long createNextSegment(StreamSegments state) throws IOException {
    if (state.deleted) {
      throw new NoSuchFileException("stream " + state.streamId + " was deleted");
    }
    Path dir = streamDir(state.streamId);
    if (!Files.isDirectory(dir)) {
      OwnerOnlyFiles.createDirectories(dir);
      fsyncDirectory(streamsDir);
    }
    long segmentId = state.newestSegmentId + 1;
    OwnerOnlyFiles.createFile(segmentPath(state.streamId, segmentId));
    fsyncDirectory(dir);
    state.newestSegmentId = segmentId;
    return segmentId;
  }

  /** Marks the stream deleted and removes its directory with all segment files. */
  void deleteStream(long streamId) throws IOException {
    StreamSegments state = states.computeIfAbsent(streamId, StreamSegments::new);
    synchronized (state) {
      state.deleted = true;
      deleteDirectory(streamDir(streamId));
    }
  }

  /** Deletes a directory tree if it exists, then syncs its parent. */
  void deleteDirectory(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(dir)) {
      tree.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    fsyncDirectory(dir.getParent());
  }

  /** Makes creations, renames and deletions in {@code dir} durable (fsync of the directory). */
  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Parses {@code "<decimal><suffix>"}; null if the name has another form. */
  static Long parseId(String fileName, String suffix) {
    if (!fileName.endsWith(suffix)) {
      return null;
    }
    String digits = fileName.substring(0, fileName.length() - suffix.length());
    if (digits.isEmpty() || digits.length() > MAX_ID_DIGITS || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    return Long.parseLong(digits);
  }
}
