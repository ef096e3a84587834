package io.framekeep.media.mp4;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.mp4parser.Box;
import org.mp4parser.Container;
import org.mp4parser.IsoFile;
import org.mp4parser.boxes.iso14496.part12.ChunkOffsetBox;
import org.mp4parser.boxes.iso14496.part12.CompositionTimeToSample;
import org.mp4parser.boxes.iso14496.part12.EditListBox;
import org.mp4parser.boxes.iso14496.part12.SampleSizeBox;
import org.mp4parser.boxes.iso14496.part12.SampleToChunkBox;
import org.mp4parser.boxes.iso14496.part12.SyncSampleBox;
import org.mp4parser.boxes.iso14496.part12.TimeToSampleBox;
import org.mp4parser.boxes.iso14496.part12.TrackBox;
import org.mp4parser.tools.Path;

/**
 * Reads an MP4 with the independent isoparser library and expands each track's sample table into
 * per-sample rows (decode time, composition offset, size, sync, absolute file offset), and renders
 * the golden text dump.
 */
final class Mp4Inspector {
  record Sample(long dts, long ctsOffset, long size, boolean sync, long fileOffset) {}

  private Mp4Inspector() {}

  static IsoFile parse(byte[] bytes) throws IOException {
    return new IsoFile(Channels.newChannel(new ByteArrayInputStream(bytes)));
  }

  static TrackBox track(IsoFile file, int index) {
    return file.getMovieBox().getBoxes(TrackBox.class).get(index);
  }

  static List<Sample> samples(TrackBox trak) {
    String stbl = "mdia/minf/stbl/";
    TimeToSampleBox stts = Path.getPath(trak, stbl + "stts");
    CompositionTimeToSample ctts = Path.getPath(trak, stbl + "ctts");
    SyncSampleBox stss = Path.getPath(trak, stbl + "stss");
    SampleSizeBox stsz = Path.getPath(trak, stbl + "stsz");
    SampleToChunkBox stsc = Path.getPath(trak, stbl + "stsc");
    ChunkOffsetBox offsets = Path.getPath(trak, stbl + "stco");
    if (offsets == null) {
      offsets = Path.getPath(trak, stbl + "co64");
    }
    int n = (int) stsz.getSampleCount();
    long[] dts = new long[n];
    int i = 0;
    long t = 0;
    for (TimeToSampleBox.Entry e : stts.getEntries()) {
      for (long k = 0; k < e.getCount(); k++) {
        dts[i++] = t;
        t += e.getDelta();
      }
    }
    long[] cts = new long[n];
    if (ctts != null) {
      i = 0;
      for (CompositionTimeToSample.Entry e : ctts.getEntries()) {
        for (int k = 0; k < e.getCount(); k++) {
          cts[i++] = e.getOffset();
        }
      }
    }
    boolean[] sync = new boolean[n];
    if (stss == null) {
      java.util.Arrays.fill(sync, true);
    } else {
      for (long s : stss.getSampleNumber()) {
        sync[(int) s - 1] = true;
      }
    }
    long[] chunkOffsets = offsets.getChunkOffsets();
    List<SampleToChunkBox.Entry> entries = stsc.getEntries();
    List<Sample> out = new ArrayList<>(n);
    int sample = 0;
    for (int chunk = 1; chunk <= chunkOffsets.length; chunk++) {
      long perChunk = 0;
      for (SampleToChunkBox.Entry e : entries) {
        if (e.getFirstChunk() <= chunk) {
          perChunk = e.getSamplesPerChunk();
        }
      }
      long position = chunkOffsets[chunk - 1];
      for (long k = 0; k < perChunk; k++) {
        long size = stsz.getSampleSizeAtIndex(sample);
        out.add(new Sample(dts[sample], cts[sample], size, sync[sample], position));
        position += size;
        sample++;
      }
    }
    if (sample != n) {
      throw new AssertionError("chunks cover " + sample + " of " + n + " samples");
    }
    return out;
  }

  static List<EditListBox.Entry> edits(TrackBox trak) {
    EditListBox elst = Path.getPath(trak, "edts/elst");
    return elst.getEntries();
  }

  /** Box tree with sizes, then every track's sample table with a hash of each sample's bytes. */
  static String dump(byte[] file) throws IOException {
    StringBuilder out = new StringBuilder();
    try (IsoFile iso = parse(file)) {
      for (Box box : iso.getBoxes()) {
        tree(box, 0, out);
      }
      List<TrackBox> traks = iso.getMovieBox().getBoxes(TrackBox.class);
      for (int t = 0; t < traks.size(); t++) {
        out.append("track ").append(t + 1).append(" edits");
        for (EditListBox.Entry e : edits(traks.get(t))) {
          out.append(" [").append(e.getSegmentDuration()).append(", ").append(e.getMediaTime())
              .append("]");
        }
        out.append('\n');
        out.append("  #  dts  cts_offset  size  sync  offset  md5\n");
        List<Sample> samples = samples(traks.get(t));
        for (int i = 0; i < samples.size(); i++) {
          Sample s = samples.get(i);
          out.append(String.format("  %d %d %d %d %s %d %s%n", i + 1, s.dts(), s.ctsOffset(),
              s.size(), s.sync() ? "K" : "-", s.fileOffset(),
              md5(file, s.fileOffset(), s.size())));
        }
      }
    }
    return out.toString();
  }

  private static void tree(Box box, int depth, StringBuilder out) {
    out.append("  ".repeat(depth)).append(box.getType()).append(' ').append(box.getSize())
        .append('\n');
    if (box instanceof Container container) {
      for (Box child : container.getBoxes()) {
        tree(child, depth + 1, out);
      }
    }
  }

  static String md5(byte[] file, long offset, long size) {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      md.update(file, (int) offset, (int) size);
      return HexFormat.of().formatHex(md.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
