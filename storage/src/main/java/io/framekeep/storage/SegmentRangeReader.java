package io.framekeep.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The embedded backend's {@link RangeReader}: opens every segment file the ranges touch once, when it is
 * created (so that a segment reclaimed by retention is noticed before a response starts, and an open file keeps
 * its bytes readable even if retention deletes it meanwhile), and hands out {@link SegmentSlice}s sharing those
 * channels. Nothing is read ahead: the page cache is the read-ahead.
 */
final class SegmentRangeReader implements RangeReader {
  private final List<ByteRange> ranges;
  private final Map<Segment, FileChannel> files;
  private int next;

  /** Segment ids count per stream, so a file is named by both. */
  private record Segment(long streamId, long segmentId) {
    static Segment of(FragmentRecord f) {
      return new Segment(f.streamId(), f.segmentId());
    }
  }

  private SegmentRangeReader(List<ByteRange> ranges, Map<Segment, FileChannel> files) {
    this.ranges = ranges;
    this.files = files;
  }

  /**
   * @throws java.nio.file.NoSuchFileException if a segment the ranges lie in is gone
   */
  static SegmentRangeReader open(SegmentStore segments, List<ByteRange> ranges) throws IOException {
    Map<Segment, FileChannel> files = new HashMap<>();
    try {
      for (ByteRange range : ranges) {
        FragmentRecord f = range.fragment();
        if (!files.containsKey(Segment.of(f))) {
          files.put(Segment.of(f), openSegment(segments, f));
        }
      }
    } catch (IOException | RuntimeException e) {
      files.values().forEach(SegmentRangeReader::closeQuietly);
      throw e;
    }
    return new SegmentRangeReader(List.copyOf(ranges), files);
  }

  /** A source that owns its file: one range read on its own. */
  static SegmentSlice openOne(SegmentStore segments, ByteRange range) throws IOException {
    FragmentRecord f = range.fragment();
    return new SegmentSlice(openSegment(segments, f), f.offset() + range.offsetInFragment(),
        range.lengthBytes(), true);
  }

  private static FileChannel openSegment(SegmentStore segments, FragmentRecord f) throws IOException {
    return FileChannel.open(segments.segmentPath(f.streamId(), f.segmentId()), StandardOpenOption.READ);
  }

  @Override
  public boolean hasNext() {
    return next < ranges.size();
  }

  @Override
  public ByteSource next() {
    if (next >= ranges.size()) {
      throw new NoSuchElementException("all " + ranges.size() + " ranges were handed out");
    }
    ByteRange range = ranges.get(next++);
    FragmentRecord f = range.fragment();
    return new SegmentSlice(files.get(Segment.of(f)), f.offset() + range.offsetInFragment(),
        range.lengthBytes(), false);
  }

  @Override
  public void close() {
    files.values().forEach(SegmentRangeReader::closeQuietly);
    files.clear();
  }

  static void closeQuietly(FileChannel file) {
    try {
      file.close();
    } catch (IOException e) {
      // Read-only: closing loses nothing, and there is nobody to tell.
    }
  }
}
