package io.framekeep.storage.cluster;

import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The fragments of all streams gathered on a node for one object. Object format: the entries' payloads
 * concatenated in arrival order, nothing else (no header, no padding); each fragment row records its own
 * offset and length, so the object needs no internal index.
 *
 * <p>Not thread-safe: guarded by the {@link BatchWriter}'s lock while open, then owned by one flush.
 */
final class Batch {

  final List<BatchEntry> entries = new ArrayList<>();
  /** System.nanoTime() when the first entry arrived; the flush deadline counts from here. */
  long firstEntryNanos;
  long sizeBytes;

  void add(BatchEntry entry, long nowNanos) {
    if (entries.isEmpty()) {
      firstEntryNanos = nowNanos;
    }
    entry.objectOffset = sizeBytes;
    entries.add(entry);
    sizeBytes += entry.lengthBytes();
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** A fresh stream over the object's bytes (called again on an upload retry). */
  InputStream content() {
    List<InputStream> parts = new ArrayList<>(entries.size());
    for (BatchEntry entry : entries) {
      parts.add(entry.payload.newInputStream());
    }
    return new SequenceInputStream(Collections.enumeration(parts));
  }
}
