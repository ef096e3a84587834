package io.framekeep.cli;

import io.framekeep.storage.ByteRange;
import io.framekeep.storage.ByteSource;
import io.framekeep.storage.FragmentCursor;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.Storage;
import io.framekeep.storage.StreamRecord;
import io.framekeep.storage.TimeOrigin;
import io.framekeep.storage.cluster.ClusterImporter;
import io.framekeep.storage.cluster.StreamConflictException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Copies every live stream of a source archive (read through the {@link Storage} interfaces only) into a
 * cluster through a {@link ClusterImporter}: catalogue entry and tags, session headers, and every fragment with
 * its original number, timestamps, frame table and payload, in increasing fragment-number order, one object per
 * {@link ClusterImporter#MAX_OBJECT_BYTES} of payload.
 *
 * <p>Restartable: a fragment the cluster already holds under its number is compared with the source and
 * skipped (a different one is a {@link StreamConflictException}), so a run after an interruption copies only
 * what is missing and a run after a complete one copies nothing. The source is only read.
 *
 * <p>Progress on {@code progress}: a line per stream and one per object written.
 */
final class ArchiveMigration {

  /** 1,000 streams per catalogue page: a page of records is a few hundred KiB. */
  static final int STREAMS_PER_PAGE = 1_000;

  /** What a run did. */
  record Totals(int streams, long fragmentsCopied, long fragmentsSkipped, long bytesCopied) {}

  private final Storage source;
  private final ClusterImporter target;
  private final PrintStream progress;

  private int streams;
  private long copied;
  private long skipped;
  private long bytes;

  ArchiveMigration(Storage source, ClusterImporter target, PrintStream progress) {
    this.source = source;
    this.target = target;
    this.progress = progress;
  }

  /** Migrates every live stream of the source; stops at the first failure (a rerun continues from it). */
  Totals run() throws IOException {
    String after = null;
    while (true) {
      List<StreamRecord> page = source.catalog().list("", after, STREAMS_PER_PAGE);
      for (StreamRecord stream : page) {
        migrate(stream);
        after = stream.name();
      }
      if (page.size() < STREAMS_PER_PAGE) {
        break;
      }
    }
    progress.printf(Locale.ROOT, "migrate: done: %d streams, %d fragments copied (%d already there), %s%n",
        streams, copied, skipped, megabytes(bytes));
    return new Totals(streams, copied, skipped, bytes);
  }

  private void migrate(StreamRecord stream) throws IOException {
    FragmentLog fragments = source.fragments();
    List<Long> sequences = sequences(stream.streamId());
    long streamCopied = 0;
    long streamSkipped = 0;
    try (ClusterImporter.Target into = target.openStream(stream, source.catalog().tags(stream.streamId()))) {
      Map<Long, Long> headerIds = new HashMap<>();
      List<FragmentRecord> batch = new ArrayList<>();
      ByteArrayOutputStream payload = new ByteArrayOutputStream();
      for (long sequence : sequences) {
        Optional<FragmentRecord> found = fragments.bySequence(stream.streamId(), sequence);
        if (found.isEmpty()) {
          continue; // expired by retention while we ran
        }
        FragmentRecord fragment = found.get();
        if (sequence <= into.lastSequence()) {
          Optional<FragmentRecord> there = into.committed(sequence);
          if (there.isEmpty() || !ClusterImporter.sameFragment(fragment, there.get())) {
            throw new StreamConflictException(stream.name(), "fragment " + sequence + " differs");
          }
          streamSkipped++;
          continue;
        }
        if (!batch.isEmpty() && payload.size() + fragment.lengthBytes() > ClusterImporter.MAX_OBJECT_BYTES) {
          streamCopied += flush(stream, into, batch, payload);
        }
        Long headerId = headerIds.get(fragment.headerId());
        if (headerId == null) {
          headerId = into.putHeader(fragments.header(fragment.headerId()));
          headerIds.put(fragment.headerId(), headerId);
        }
        batch.add(new FragmentRecord(0, sequence, fragment.producerTimestampMs(), fragment.serverTimestampMs(),
            fragment.durationMs(), 0, payload.size(), fragment.lengthBytes(), headerId, fragment.frameTable()));
        readPayload(fragment, payload);
      }
      streamCopied += flush(stream, into, batch, payload);
    }
    streams++;
    skipped += streamSkipped;
    progress.printf(Locale.ROOT, "migrate: stream %s: %d fragments copied, %d already there%n", stream.name(),
        streamCopied, streamSkipped);
  }

  /** The numbers of the stream's fragments, ascending: index-only pages of at most MAX_RANGE_RESULTS rows. */
  private List<Long> sequences(long streamId) {
    List<Long> sequences = new ArrayList<>();
    FragmentCursor after = null;
    while (true) {
      List<FragmentRecord> page = source.fragments().range(streamId, TimeOrigin.SERVER, Long.MIN_VALUE,
          Long.MAX_VALUE, after, FragmentLog.MAX_RANGE_RESULTS);
      for (FragmentRecord f : page) {
        sequences.add(f.sequence());
      }
      if (page.size() < FragmentLog.MAX_RANGE_RESULTS) {
        break;
      }
      FragmentRecord last = page.get(page.size() - 1);
      after = new FragmentCursor(last.serverTimestampMs(), last.sequence());
    }
    sequences.sort(null);
    return sequences;
  }

  private void readPayload(FragmentRecord fragment, ByteArrayOutputStream payload) throws IOException {
    byte[] bytes = new byte[Math.toIntExact(fragment.lengthBytes())];
    try (ByteSource bytesSource = source.fragments().open(ByteRange.whole(fragment))) {
      bytesSource.read(0, ByteBuffer.wrap(bytes));
    }
    payload.write(bytes);
  }

  private long flush(StreamRecord stream, ClusterImporter.Target into, List<FragmentRecord> batch,
      ByteArrayOutputStream payload) throws IOException {
    if (batch.isEmpty()) {
      return 0;
    }
    into.commitObject(batch, payload.toByteArray());
    long count = batch.size();
    copied += count;
    bytes += payload.size();
    progress.printf(Locale.ROOT, "migrate: stream %s: fragments %d-%d committed (%s so far)%n", stream.name(),
        batch.get(0).sequence(), batch.get(batch.size() - 1).sequence(), megabytes(bytes));
    batch.clear();
    payload.reset();
    return count;
  }

  private static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
