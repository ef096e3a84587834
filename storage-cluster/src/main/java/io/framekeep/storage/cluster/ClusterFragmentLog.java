package io.framekeep.storage.cluster;

import io.framekeep.storage.ByteRange;
import io.framekeep.storage.ByteSource;
import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentCursor;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.RangeReader;
import io.framekeep.storage.TimeOrigin;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * {@link FragmentLog} of the cluster backend: index rows and headers in PostgreSQL ({@link PgFragmentIndex}),
 * appenders under fenced leases ({@link ClusterIngest}), payload bytes by ranged GETs from the objects the rows
 * point into ({@link RangedReader}).
 *
 * <p>Object keys never change once written, so the key of each object id is looked up once and kept
 * (an id of at most a few dozen bytes per object, objects of megabytes each).
 *
 * <p>Retention ({@link #deleteOlderThan}) deletes index rows; the space comes back in the background: the
 * {@link Compactor} rewrites the fragments other streams still have in the same objects, and the
 * {@link ObjectCollector} deletes objects no row points into after their grace period.
 *
 * <p>Thread safety: any thread.
 */
final class ClusterFragmentLog implements FragmentLog {

  private final ClusterDatabase database;
  private final PgFragmentIndex index;
  private final ClusterIngest ingest;
  private final RangedReader reader;
  private final ObjectStore store;
  private final Executor fetcher;
  private final Map<Long, String> objectKeys = new ConcurrentHashMap<>();

  ClusterFragmentLog(ClusterDatabase database, PgFragmentIndex index, ClusterIngest ingest, RangedReader reader,
      ObjectStore store, Executor fetcher) {
    this.database = database;
    this.index = index;
    this.ingest = ingest;
    this.reader = reader;
    this.store = store;
    this.fetcher = fetcher;
  }

  @Override
  public long putHeader(long streamId, byte[] header) throws IOException {
    return index.putHeader(streamId, header);
  }

  @Override
  public byte[] header(long headerId) throws IOException {
    return index.header(headerId);
  }

  @Override
  public FragmentAppender openAppender(long streamId) throws IOException {
    return ingest.openAppender(streamId);
  }

  @Override
  public List<FragmentRecord> range(
      long streamId, TimeOrigin origin, long startMs, long endMs, FragmentCursor after, int limit) {
    return index.range(streamId, origin, startMs, endMs, after, limit);
  }

  @Override
  public Optional<FragmentRecord> bySequence(long streamId, long sequence) {
    return index.bySequence(streamId, sequence);
  }

  @Override
  public ByteSource open(ByteRange range) throws IOException {
    if (range.lengthBytes() == 0) {
      return FetchedBytes.of(0, CompletableFuture.completedFuture(new byte[0]));
    }
    ObjectRange where = objectRange(range);
    CompletableFuture<byte[]> fetch = CompletableFuture.supplyAsync(() -> {
      try (InputStream in = store.openRange(where.key(), where.offset(), where.lengthBytes())) {
        return FetchedBytes.readExactly(in, where.lengthBytes());
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    }, fetcher);
    return FetchedBytes.of(range.lengthBytes(), fetch);
  }

  @Override
  public RangeReader openRanges(List<ByteRange> ranges) throws IOException {
    List<ObjectRange> objectRanges = new ArrayList<>(ranges.size());
    for (ByteRange range : ranges) {
      if (range.lengthBytes() > 0) {
        objectRanges.add(objectRange(range));
      }
    }
    return ObjectRangeReader.open(ranges, objectRanges, reader, fetcher);
  }

  /** Where the range's bytes are in the bucket. */
  private ObjectRange objectRange(ByteRange range) throws IOException {
    FragmentRecord f = range.fragment();
    String key = objectKeys.get(f.segmentId());
    if (key == null) {
      key = index.objectKey(f.segmentId());
      objectKeys.put(f.segmentId(), key);
    }
    return new ObjectRange(key, f.offset() + range.offsetInFragment(), range.lengthBytes());
  }

  @Override
  public long deleteOlderThan(long streamId, long cutoffMs) throws IOException {
    return database.io("deleteOlderThan", c -> (long) Sql.update(c,
        "DELETE FROM fragments WHERE stream_id = ? AND server_ms < ?",
        s -> {
          s.setLong(1, streamId);
          s.setLong(2, cutoffMs);
        }));
  }
}
