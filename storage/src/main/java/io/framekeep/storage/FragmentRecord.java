package io.framekeep.storage;

import java.util.Arrays;

/**
 * One committed fragment as indexed: what the ingest path recorded about it and where the backend keeps its
 * payload. Read its bytes through {@link FragmentLog#open} / {@link FragmentLog#openRanges} with a
 * {@link ByteRange}; the location fields ({@code segmentId}, {@code offset}) belong to the backend and are not
 * for callers above storage (an architecture test holds them to that). The frame table array is shared, not
 * copied: treat it as read-only.
 *
 * @param sequence per-stream fragment number: 1, 2, 3, ... in commit order, never reused
 * @param segmentId the backend's container of the payload: the stream's segment file in the embedded backend
 *     (ids per stream), the object holding it in the cluster backend
 * @param offset byte offset of the payload in that container
 * @param lengthBytes the payload's length
 */
public record FragmentRecord(
    long streamId,
    long sequence,
    long producerTimestampMs,
    long serverTimestampMs,
    long durationMs,
    long segmentId,
    long offset,
    long lengthBytes,
    long headerId,
    byte[] frameTable) {

  /** The start timestamp of the given origin. */
  public long timestampMs(TimeOrigin origin) {
    return origin == TimeOrigin.PRODUCER ? producerTimestampMs : serverTimestampMs;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FragmentRecord that
        && streamId == that.streamId
        && sequence == that.sequence
        && producerTimestampMs == that.producerTimestampMs
        && serverTimestampMs == that.serverTimestampMs
        && durationMs == that.durationMs
        && segmentId == that.segmentId
        && offset == that.offset
        && lengthBytes == that.lengthBytes
        && headerId == that.headerId
        && Arrays.equals(frameTable, that.frameTable);
  }

  @Override
  public int hashCode() {
    int result = Long.hashCode(streamId);
    result = 31 * result + Long.hashCode(sequence);
    result = 31 * result + Long.hashCode(producerTimestampMs);
    result = 31 * result + Long.hashCode(serverTimestampMs);
    result = 31 * result + Long.hashCode(durationMs);
    result = 31 * result + Long.hashCode(segmentId);
    result = 31 * result + Long.hashCode(offset);
    result = 31 * result + Long.hashCode(lengthBytes);
    result = 31 * result + Long.hashCode(headerId);
    return 31 * result + Arrays.hashCode(frameTable);
  }

  @Override
  public String toString() {
    return "FragmentRecord[streamId=" + streamId + ", sequence=" + sequence + ", producerTimestampMs="
        + producerTimestampMs + ", serverTimestampMs=" + serverTimestampMs + ", durationMs=" + durationMs
        + ", segmentId=" + segmentId + ", offset=" + offset + ", lengthBytes=" + lengthBytes + ", headerId="
        + headerId + ", frameTable=" + (frameTable == null ? "null" : frameTable.length + " bytes") + "]";
  }
}
