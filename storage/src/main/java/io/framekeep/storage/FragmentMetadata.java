package io.framekeep.storage;

import java.util.Arrays;

/**
 * What the ingest path knows about a fragment when it commits it. The frame table is an opaque blob defined by
 * the media layer; storage keeps it verbatim (it is not copied, so callers must not modify it afterwards).
 *
 * @param producerTimestampMs producer start timestamp, epoch milliseconds
 * @param serverTimestampMs arrival time of the fragment's first byte, epoch milliseconds
 * @param durationMs playback duration
 * @param headerId id returned by {@link FragmentLog#putHeader} for the session header this fragment follows
 * @param frameTable opaque per-fragment frame table, at most {@link FragmentLog#MAX_FRAME_TABLE_BYTES}
 */
public record FragmentMetadata(
    long producerTimestampMs, long serverTimestampMs, long durationMs, long headerId, byte[] frameTable) {

  public FragmentMetadata {
    if (frameTable == null) {
      throw new NullPointerException("frameTable");
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FragmentMetadata that
        && producerTimestampMs == that.producerTimestampMs
        && serverTimestampMs == that.serverTimestampMs
        && durationMs == that.durationMs
        && headerId == that.headerId
        && Arrays.equals(frameTable, that.frameTable);
  }

  @Override
  public int hashCode() {
    int result = Long.hashCode(producerTimestampMs);
    result = 31 * result + Long.hashCode(serverTimestampMs);
    result = 31 * result + Long.hashCode(durationMs);
    result = 31 * result + Long.hashCode(headerId);
    return 31 * result + Arrays.hashCode(frameTable);
  }

  @Override
  public String toString() {
    return "FragmentMetadata[producerTimestampMs=" + producerTimestampMs + ", serverTimestampMs="
        + serverTimestampMs + ", durationMs=" + durationMs + ", headerId=" + headerId + ", frameTable="
        + frameTable.length + " bytes]";
  }
}
