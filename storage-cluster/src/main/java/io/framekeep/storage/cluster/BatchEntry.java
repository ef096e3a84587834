package io.framekeep.storage.cluster;

import io.framekeep.storage.FragmentMetadata;
import io.framekeep.storage.FragmentRecord;
import java.util.concurrent.CompletableFuture;

/**
 * One sealed fragment waiting in a batch: its payload, what the index row will say, the lease epoch it was
 * written under, and the future its appender handed out (completed with the committed record, or failed).
 */
final class BatchEntry {

  final ClusterFragmentAppender appender;
  final long streamId;
  final long epoch;
  final long sequence;
  final ChunkedBytes payload;
  final FragmentMetadata metadata;
  final CompletableFuture<FragmentRecord> done = new CompletableFuture<>();
  /** Offset of the payload in the batch's object; set when the entry joins a batch. */
  long objectOffset;

  BatchEntry(ClusterFragmentAppender appender, long streamId, long epoch, long sequence, ChunkedBytes payload,
      FragmentMetadata metadata) {
    this.appender = appender;
    this.streamId = streamId;
    this.epoch = epoch;
    this.sequence = sequence;
    this.payload = payload;
    this.metadata = metadata;
  }

  long lengthBytes() {
    return payload.size();
  }

  /** The index row this entry becomes once committed into object {@code objectId}. */
  FragmentRecord record(long objectId) {
    return new FragmentRecord(streamId, sequence, metadata.producerTimestampMs(), metadata.serverTimestampMs(),
        metadata.durationMs(), objectId, objectOffset, payload.size(), metadata.headerId(), metadata.frameTable());
  }
}
