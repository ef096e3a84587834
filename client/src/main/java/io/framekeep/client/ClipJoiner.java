package io.framekeep.client;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Joins GetClip pieces into one progressive MP4: {@code ftyp}, one {@code moov} whose sample
 * tables are the pieces' tables concatenated ({@link JoinedTrack}), then one {@code mdat} holding
 * each piece's media span copied byte for byte, so chunk offsets only shift. The whole {@code moov}
 * is sized before anything is written; media is copied with {@code transferTo}.
 *
 * <p>One method per box type; each field is followed by its ISO/IEC 14496-12 name. Stateless.
 */
final class ClipJoiner {
  /** Above this a 32-bit chunk offset or mdat size no longer fits. */
  private static final long MAX_U32 = 0xFFFFFFFFL;
  /** Identity transformation matrix of tkhd/mvhd (16.16 and 2.30 fixed point). */
  private static final int[] MATRIX = {0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000};

  private ClipJoiner() {}

  /**
   * @param pieces the pieces in time order, each with the same tracks and sample descriptions
   * @param pieceStartMs each piece's first fragment start (ms) on the range's clock
   * @return bytes written
   */
  static long write(List<PieceMovie> pieces, long[] pieceStartMs, OutputStream out)
      throws IOException {
    PieceMovie head = pieces.get(0);
    checkCompatible(pieces);
    long[] base = new long[pieces.size()];
    long[] spanStart = new long[pieces.size()];
    long payload = 0;
    for (int k = 0; k < pieces.size(); k++) {
      base[k] = payload;
      spanStart[k] = pieces.get(k).mediaStart();
      payload += pieces.get(k).mediaEnd() - pieces.get(k).mediaStart();
    }
    List<JoinedTrack> tracks = new ArrayList<>();
    int mainIndex = 0;
    for (int t = 0; t < head.tracks().size(); t++) {
      if (head.tracks().get(t).isVideo()) {
        mainIndex = t;
        break;
      }
    }
    JoinedTrack main = joined(pieces, mainIndex, pieceStartMs, base, spanStart, null);
    for (int t = 0; t < head.tracks().size(); t++) {
      tracks.add(t == mainIndex ? main
          : joined(pieces, t, pieceStartMs, base, spanStart, main));
    }
    long movieTimescale = head.movieTimescale();
    OutBox ftyp = ftyp();
    boolean wide = payload + 16 > MAX_U32;
    long mdatHeader = wide ? 16 : 8;
    // First size the moov with 32-bit offsets; switch to co64 if the file would pass 4 GiB.
    long moovSize = moov(tracks, movieTimescale, 0, false).size();
    boolean co64 = ftyp.size() + moovSize + mdatHeader + payload > MAX_U32;
    OutBox moov = moov(tracks, movieTimescale, 0, co64);
    long payloadStart = ftyp.size() + moov.size() + mdatHeader;
    moov = moov(tracks, movieTimescale, payloadStart, co64);

    DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
    ftyp.write(data);
    moov.write(data);
    if (wide) {
      data.writeInt(1); // size: 1 means largesize follows
      data.writeBytes("mdat"); // type
      data.writeLong(payload + 16); // largesize
    } else {
      data.writeInt((int) (payload + 8)); // size
      data.writeBytes("mdat"); // type
    }
    data.flush();
    WritableByteChannel sink = Channels.newChannel(out);
    for (PieceMovie p : pieces) {
      try (FileChannel in = FileChannel.open(p.file(), StandardOpenOption.READ)) {
        long pos = p.mediaStart();
        while (pos < p.mediaEnd()) {
          long n = in.transferTo(pos, p.mediaEnd() - pos, sink);
          if (n <= 0) {
            throw new IOException("piece file " + p.file() + " ended early");
          }
          pos += n;
        }
      }
    }
    out.flush();
    return payloadStart + payload;
  }

  private static JoinedTrack joined(List<PieceMovie> pieces, int index, long[] pieceStartMs,
      long[] base, long[] spanStart, JoinedTrack main) {
    return new JoinedTrack(pieces.stream().map(p -> p.tracks().get(index)).toList(),
        pieceStartMs, base, spanStart, main);
  }

  private static void checkCompatible(List<PieceMovie> pieces) throws Mp4FormatException {
    PieceMovie head = pieces.get(0);
    for (int k = 1; k < pieces.size(); k++) {
      PieceMovie p = pieces.get(k);
      if (p.tracks().size() != head.tracks().size()) {
        throw Mp4FormatException.unsupported("piece " + (k + 1) + " has " + p.tracks().size()
            + " tracks, the first has " + head.tracks().size());
      }
      for (int t = 0; t < head.tracks().size(); t++) {
        PieceTrack a = head.tracks().get(t);
        PieceTrack b = p.tracks().get(t);
        if (!a.handlerType().equals(b.handlerType()) || a.timescale() != b.timescale()
            || !SampleEntries.sameCodec(a.stsdBox(), b.stsdBox())) {
          throw Mp4FormatException.unsupported("the codec configuration of track " + (t + 1)
              + " changes in piece " + (k + 1) + "; clip the two parts separately");
        }
      }
    }
  }

  private static OutBox ftyp() {
    String[] brands = {"isom", "iso2", "avc1", "mp41"};
    return OutBox.leaf("ftyp", 8 + 4L * brands.length, out -> {
      out.writeBytes("isom"); // major_brand
      out.writeInt(0x200); // minor_version
      for (String b : brands) {
        out.writeBytes(b); // compatible_brands
      }
    });
  }

  private static OutBox moov(List<JoinedTrack> tracks, long movieTimescale, long payloadStart,
      boolean co64) {
    List<OutBox> children = new ArrayList<>();
    long duration = 0;
    int nextTrackId = 1;
    for (JoinedTrack t : tracks) {
      duration = Math.max(duration, t.presentationDuration(movieTimescale));
      nextTrackId = Math.max(nextTrackId, t.first.trackId() + 1);
    }
    children.add(mvhd(movieTimescale, duration, nextTrackId));
    for (JoinedTrack t : tracks) {
      children.add(trak(t, movieTimescale, payloadStart, co64));
    }
    return OutBox.container("moov", children);
  }

  private static OutBox mvhd(long timescale, long duration, int nextTrackId) {
    boolean v1 = duration > MAX_U32;
    return OutBox.leaf("mvhd", v1 ? 112 : 100, out -> {
      out.writeInt(v1 ? 0x01000000 : 0); // version, flags
      writeTimes(out, v1); // creation_time, modification_time
      out.writeInt((int) timescale); // timescale
      writeDuration(out, v1, duration); // duration
      out.writeInt(0x00010000); // rate 1.0
      out.writeShort(0x0100); // volume 1.0
      out.writeShort(0); // reserved
      out.writeLong(0); // reserved
      for (int m : MATRIX) {
        out.writeInt(m); // matrix
      }
      for (int i = 0; i < 6; i++) {
        out.writeInt(0); // pre_defined
      }
      out.writeInt(nextTrackId); // next_track_ID
    });
  }

  private static OutBox trak(JoinedTrack t, long movieTimescale, long payloadStart,
      boolean co64) {
    return OutBox.container("trak", List.of(
        tkhd(t, movieTimescale),
        OutBox.container("edts", List.of(elst(t, movieTimescale))),
        OutBox.container("mdia", List.of(
            mdhd(t),
            OutBox.copy(t.first.hdlrBox()),
            minf(t, payloadStart, co64)))));
  }

  private static OutBox tkhd(JoinedTrack t, long movieTimescale) {
    long duration = t.presentationDuration(movieTimescale);
    boolean v1 = duration > MAX_U32;
    return OutBox.leaf("tkhd", v1 ? 96 : 84, out -> {
      out.writeInt((v1 ? 0x01000000 : 0) | 0x3); // version, flags: enabled | in_movie
      writeTimes(out, v1); // creation_time, modification_time
      out.writeInt(t.first.trackId()); // track_ID
      out.writeInt(0); // reserved
      writeDuration(out, v1, duration); // duration
      out.writeLong(0); // reserved
      out.writeShort(0); // layer
      out.writeShort(0); // alternate_group
      out.writeShort(t.first.volumeFixed()); // volume
      out.writeShort(0); // reserved
      for (int m : MATRIX) {
        out.writeInt(m); // matrix
      }
      out.writeInt((int) t.first.widthFixed()); // width
      out.writeInt((int) t.first.heightFixed()); // height
    });
  }

  private static OutBox elst(JoinedTrack t, long movieTimescale) {
    long empty = t.first.emptyEditMovieTicks();
    long segment = t.mediaSegmentDuration(movieTimescale);
    boolean v1 = Math.max(empty, segment) > MAX_U32 || t.mediaTime > Integer.MAX_VALUE;
    int entries = empty > 0 ? 2 : 1;
    int entryBytes = v1 ? 20 : 12;
    return OutBox.leaf("elst", 8 + (long) entries * entryBytes, out -> {
      out.writeInt(v1 ? 0x01000000 : 0); // version, flags
      out.writeInt(entries); // entry_count
      if (empty > 0) {
        writeEdit(out, v1, empty, -1);
      }
      writeEdit(out, v1, segment, t.mediaTime);
    });
  }

  private static void writeEdit(DataOutputStream out, boolean v1, long segment, long mediaTime)
      throws IOException {
    if (v1) {
      out.writeLong(segment); // segment_duration
      out.writeLong(mediaTime); // media_time
    } else {
      out.writeInt((int) segment); // segment_duration
      out.writeInt((int) mediaTime); // media_time
    }
    out.writeInt(0x00010000); // media_rate_integer 1, media_rate_fraction 0
  }

  private static OutBox mdhd(JoinedTrack t) {
    boolean v1 = t.mediaDuration > MAX_U32;
    return OutBox.leaf("mdhd", v1 ? 36 : 24, out -> {
      out.writeInt(v1 ? 0x01000000 : 0); // version, flags
      writeTimes(out, v1); // creation_time, modification_time
      out.writeInt((int) t.first.timescale()); // timescale
      writeDuration(out, v1, t.mediaDuration); // duration
      out.writeShort(t.first.language()); // pad, language
      out.writeShort(0); // pre_defined
    });
  }

  private static OutBox minf(JoinedTrack t, long payloadStart, boolean co64) {
    List<OutBox> children = new ArrayList<>();
    if (t.first.mediaHeaderBox() != null) {
      children.add(OutBox.copy(t.first.mediaHeaderBox()));
    }
    if (t.first.dinfBox() != null) {
      children.add(OutBox.copy(t.first.dinfBox()));
    }
    children.add(stbl(t, payloadStart, co64));
    return OutBox.container("minf", children);
  }

  private static OutBox stbl(JoinedTrack t, long payloadStart, boolean co64) {
    List<OutBox> children = new ArrayList<>();
    children.add(OutBox.copy(t.first.stsdBox()));
    children.add(stts(t.deltas));
    if (t.compositionOffsets != null) {
      children.add(ctts(t.compositionOffsets));
    }
    if (t.syncSamples != null) {
      children.add(stss(t.syncSamples));
    }
    children.add(stsc(t.samplesPerChunk));
    children.add(stsz(t.sizes));
    children.add(co64 ? co64(t.chunkOffsets, payloadStart) : stco(t.chunkOffsets, payloadStart));
    return OutBox.container("stbl", children);
  }

  private static OutBox stts(long[] deltas) {
    long[] runs = RunLength.encode(deltas);
    return OutBox.leaf("stts", 8 + 4L * runs.length, out -> {
      out.writeInt(0); // version, flags
      out.writeInt(runs.length / 2); // entry_count
      for (int i = 0; i < runs.length; i += 2) {
        out.writeInt((int) runs[i]); // sample_count
        out.writeInt((int) runs[i + 1]); // sample_delta
      }
    });
  }

  private static OutBox ctts(int[] offsets) {
    long[] values = new long[offsets.length];
    for (int i = 0; i < offsets.length; i++) {
      values[i] = offsets[i];
    }
    long[] runs = RunLength.encode(values);
    boolean signed = Arrays.stream(offsets).anyMatch(o -> o < 0);
    return OutBox.leaf("ctts", 8 + 4L * runs.length, out -> {
      out.writeInt(signed ? 0x01000000 : 0); // version, flags
      out.writeInt(runs.length / 2); // entry_count
      for (int i = 0; i < runs.length; i += 2) {
        out.writeInt((int) runs[i]); // sample_count
        out.writeInt((int) runs[i + 1]); // sample_offset
      }
    });
  }

  private static OutBox stss(long[] sync) {
    return OutBox.leaf("stss", 8 + 4L * sync.length, out -> {
      out.writeInt(0); // version, flags
      out.writeInt(sync.length); // entry_count
      for (long s : sync) {
        out.writeInt((int) s); // sample_number
      }
    });
  }

  private static OutBox stsc(int[] samplesPerChunk) {
    List<long[]> runs = new ArrayList<>();
    for (int i = 0; i < samplesPerChunk.length; i++) {
      if (runs.isEmpty() || runs.get(runs.size() - 1)[1] != samplesPerChunk[i]) {
        runs.add(new long[] {i + 1, samplesPerChunk[i]});
      }
    }
    return OutBox.leaf("stsc", 8 + 12L * runs.size(), out -> {
      out.writeInt(0); // version, flags
      out.writeInt(runs.size()); // entry_count
      for (long[] r : runs) {
        out.writeInt((int) r[0]); // first_chunk
        out.writeInt((int) r[1]); // samples_per_chunk
        out.writeInt(1); // sample_description_index
      }
    });
  }

  private static OutBox stsz(int[] sizes) {
    return OutBox.leaf("stsz", 12 + 4L * sizes.length, out -> {
      out.writeInt(0); // version, flags
      out.writeInt(0); // sample_size: 0, sizes follow
      out.writeInt(sizes.length); // sample_count
      for (int s : sizes) {
        out.writeInt(s); // entry_size
      }
    });
  }

  private static OutBox stco(long[] offsets, long payloadStart) {
    return OutBox.leaf("stco", 8 + 4L * offsets.length, out -> {
      out.writeInt(0); // version, flags
      out.writeInt(offsets.length); // entry_count
      for (long o : offsets) {
        out.writeInt((int) (payloadStart + o)); // chunk_offset
      }
    });
  }

  private static OutBox co64(long[] offsets, long payloadStart) {
    return OutBox.leaf("co64", 8 + 8L * offsets.length, out -> {
      out.writeInt(0); // version, flags
      out.writeInt(offsets.length); // entry_count
      for (long o : offsets) {
        out.writeLong(payloadStart + o); // chunk_offset
      }
    });
  }

  private static void writeTimes(DataOutputStream out, boolean v1) throws IOException {
    if (v1) {
      out.writeLong(0); // creation_time
      out.writeLong(0); // modification_time
    } else {
      out.writeInt(0); // creation_time
      out.writeInt(0); // modification_time
    }
  }

  private static void writeDuration(DataOutputStream out, boolean v1, long duration)
      throws IOException {
    if (v1) {
      out.writeLong(duration);
    } else {
      out.writeInt((int) duration);
    }
  }

  /** (count, value) run-length encoding of a sequence. */
  static final class RunLength {
    private RunLength() {}

    static long[] encode(long[] values) {
      long[] runs = new long[values.length * 2];
      int n = 0;
      for (long v : values) {
        if (n > 0 && runs[n - 1] == v) {
          runs[n - 2]++;
        } else {
          runs[n++] = 1;
          runs[n++] = v;
        }
      }
      return Arrays.copyOf(runs, n);
    }
  }
}
