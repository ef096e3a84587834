package io.framekeep.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the segment files back in line with the index after an unclean shutdown. Runs at open, before any
 * appender exists. The index is the authority (rows are committed only after their bytes are fsync'd), so:
 *
 * <ul>
 *   <li>bytes beyond the end of the last committed fragment of a segment (a torn tail from a crash between
 *       write and commit) are truncated;
 *   <li>segment files holding no committed fragment are deleted, except the newest of each stream, which is
 *       truncated to empty and stays the active segment (keeping segment ids from being reused);
 *   <li>directories of streams that are unknown or deleted (a crash during stream deletion) are removed;
 *   <li>a segment shorter than its committed fragments (lost acknowledged data, which fsync-before-commit rules
 *       out unless the disk lies) is reported and left alone.
 * </ul>
 *
 * Everything done is logged. Recovery is idempotent: a crash during it is repaired by the next run.
 */
final class Recovery {

  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  /** What a recovery run changed, for logs and tests. */
  record Report(int segmentsTruncated, long bytesTruncated, int segmentsDeleted, int streamDirsDeleted,
      int segmentsShort) {}

  private final Database database;
  private final SegmentStore segments;
  private int segmentsTruncated;
  private long bytesTruncated;
  private int segmentsDeleted;
  private int streamDirsDeleted;
  private int segmentsShort;

  private Recovery(Database database, SegmentStore segments) {
    this.database = database;
    this.segments = segments;
  }

  static Report run(Database database, SegmentStore segments) throws IOException {
    Recovery recovery = new Recovery(database, segments);
    recovery.recoverAll();
    Report report = new Report(recovery.segmentsTruncated, recovery.bytesTruncated, recovery.segmentsDeleted,
        recovery.streamDirsDeleted, recovery.segmentsShort);
    LOG.info("recovery done: {}", report);
    return report;
  }

  private void recoverAll() throws IOException {
    Map<Long, Boolean> liveById = database.io("recovery", c -> Database.query(c,
        "SELECT stream_id, deleted FROM streams", s -> { }, row -> Map.entry(row.getLong(1), row.getInt(2) == 0)))
        .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    Path streamsDir = segments.streamsDir();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(streamsDir)) {
      for (Path dir : dirs) {
        Long streamId = SegmentStore.parseId(dir.getFileName().toString(), "");
        if (streamId == null || !Files.isDirectory(dir)) {
          LOG.warn("recovery: ignoring unexpected entry {}", dir);
        } else if (!liveById.getOrDefault(streamId, false)) {
          LOG.warn("recovery: removing segments of deleted or unknown stream {}", streamId);
          segments.deleteDirectory(dir);
          streamDirsDeleted++;
        } else {
          recoverStream(streamId);
        }
      }
    }
  }

  private void recoverStream(long streamId) throws IOException {
    List<Long> ids = segments.segmentIds(streamId);
    boolean deletedAny = false;
    for (long segmentId : ids) {
      boolean newest = segmentId == ids.get(ids.size() - 1);
      Path file = segments.segmentPath(streamId, segmentId);
      OptionalLong committedEnd = SqliteFragmentLog.committedEnd(database, streamId, segmentId);
      if (committedEnd.isEmpty() && !newest) {
        LOG.warn("recovery: stream {} segment {}: no committed fragment, deleting {} bytes",
            streamId, segmentId, Files.size(file));
        Files.delete(file);
        segmentsDeleted++;
        deletedAny = true;
        continue;
      }
      long end = committedEnd.orElse(0);
      long size = Files.size(file);
      if (size > end && committedEnd.isEmpty()) {
        LOG.warn("recovery: stream {} segment {}: newest segment holds no committed fragment, emptying {} bytes",
            streamId, segmentId, size);
        truncate(file, 0);
        segmentsTruncated++;
        bytesTruncated += size;
      } else if (size > end) {
        LOG.warn("recovery: stream {} segment {}: truncating torn tail of {} bytes ({} -> {})",
            streamId, segmentId, size - end, size, end);
        truncate(file, end);
        segmentsTruncated++;
        bytesTruncated += size - end;
      } else if (size < end) {
        LOG.error("recovery: stream {} segment {}: file has {} bytes but committed fragments end at {}",
            streamId, segmentId, size, end);
        segmentsShort++;
      }
    }
    if (deletedAny) {
      SegmentStore.fsyncDirectory(segments.streamDir(streamId));
    }
  }

  private static void truncate(Path file, long sizeBytes) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(sizeBytes);
      channel.force(true);
    }
  }
}
