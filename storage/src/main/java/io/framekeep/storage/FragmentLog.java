package io.framekeep.storage;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The per-stream log of fragments: payload bytes in the backend's media store (append-only segment files in the
 * embedded backend, objects in the cluster backend), one index row per fragment.
 *
 * <p>Reads never learn where the bytes live: the read path asks for the bytes of {@link ByteRange}s and gets
 * {@link ByteSource}s ({@link #open}, {@link #openRanges}), which each backend serves its own way.
 *
 * <p>Thread safety: all methods may be called concurrently from any thread. Readers see only committed
 * fragments. Failures of the database in methods that do not declare {@link IOException} surface as
 * {@link StorageException}.
 */
public interface FragmentLog {

  /**
   * 50 MiB: KVS rejects fragments over 50 MB (hard quota, spec section 5.1); this bounds what one pending
   * fragment can add to a segment file before the ingest path notices.
   */
  long MAX_FRAGMENT_BYTES = 50L << 20;

  /**
   * 4 MiB: a session header carries codec private data of at most 1 MiB per track (producer SDK limit) for
   * at most 3 tracks, plus a few KiB of EBML structure. Headers are kept in the database, so they stay small.
   */
  int MAX_HEADER_BYTES = 4 << 20;

  /**
   * 8 MiB: a fragment lasts at most 20 s over at most 3 tracks; even at 1000 frames per second per track that
   * is 60,000 frames, leaving over 100 bytes per frame entry. Frame tables live in database rows.
   */
  int MAX_FRAME_TABLE_BYTES = 8 << 20;

  /**
   * 10,000: the KVS fragment-metadata quota is 10,000 points per second per stream, so no single API request
   * can need more fragments than this in one page; larger queries page with a {@link FragmentCursor}.
   * Bounds the memory of one {@link #range} call.
   */
  int MAX_RANGE_RESULTS = 10_000;

  /**
   * Stores an opaque per-session header blob durably (deduplicated per stream by content hash) and returns
   * its id.
   *
   * @throws StorageLimitExceededException if longer than {@link #MAX_HEADER_BYTES}
   * @throws java.nio.file.NoSuchFileException if the stream does not exist or is deleted
   */
  long putHeader(long streamId, byte[] header) throws IOException;

  /**
   * The header stored under this id.
   *
   * @throws java.nio.file.NoSuchFileException if unknown
   */
  byte[] header(long headerId) throws IOException;

  /**
   * One appender per ingest session (the server allows one PutMedia connection per stream).
   *
   * @throws StreamBusyException if the stream already has an open appender (on any node, in cluster mode)
   * @throws java.nio.file.NoSuchFileException if the stream does not exist or is deleted
   */
  FragmentAppender openAppender(long streamId) throws IOException;

  /**
   * Fragments whose timestamp of the given origin is in [startMs, endMs] (both inclusive), ordered by
   * (timestamp, sequence), strictly after {@code after} when non-null, at most
   * {@code min(limit, MAX_RANGE_RESULTS)}. Uses an index; never scans.
   */
  List<FragmentRecord> range(
      long streamId, TimeOrigin origin, long startMs, long endMs, FragmentCursor after, int limit);

  /** The committed fragment with this sequence number, if it exists and has not been deleted. */
  Optional<FragmentRecord> bySequence(long streamId, long sequence);

  /**
   * The bytes of one range, on their own: the source owns what it holds and releases it when closed. For reads
   * of one fragment (a GetMedia chunk, an MPEG-TS segment, the frames of a still image).
   *
   * @throws java.nio.file.NoSuchFileException if the fragment's bytes are gone (reclaimed by retention or stream
   *     deletion after the record was read)
   */
  ByteSource open(ByteRange range) throws IOException;

  /**
   * The bytes of many ranges, in this order, for one response (a clip's sample runs): see {@link RangeReader}
   * for how backends plan the reads and how the consumer must release them.
   *
   * @throws java.nio.file.NoSuchFileException if some range's bytes are already known to be gone
   */
  RangeReader openRanges(List<ByteRange> ranges) throws IOException;

  /**
   * Deletes fragments with serverTimestampMs &lt; cutoffMs and reclaims whole segments no longer referenced;
   * returns fragments removed. The newest segment of a stream is never removed (it is where the next fragment
   * goes).
   */
  long deleteOlderThan(long streamId, long cutoffMs) throws IOException;
}
