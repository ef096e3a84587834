package io.framekeep.client;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code moov} of a progressive MP4 (a GetClip piece) into {@link PieceMovie}: one
 * method per box type, every count checked against the bytes that hold its entries before any
 * array is sized. Only what joining needs is kept. Stateless.
 */
final class PieceReader {
  /**
   * Largest moov read: a 200-fragment clip of 60 fps video and audio has ~30k samples, ~1 MB of
   * tables; 64 MiB leaves room for any service-sized piece while bounding memory.
   */
  static final long MAX_MOOV_BYTES = 64L * 1024 * 1024;
  /** Fewest bytes of a box header (size + type). */
  private static final int BOX_HEADER_BYTES = 8;

  private PieceReader() {}

  static PieceMovie read(Path file) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      long pos = 0;
      byte[] moov = null;
      while (pos + BOX_HEADER_BYTES <= length) {
        raf.seek(pos);
        long size = raf.readInt() & 0xFFFFFFFFL;
        int type = raf.readInt();
        long header = BOX_HEADER_BYTES;
        if (size == 1) {
          size = raf.readLong();
          header = 16;
        } else if (size == 0) {
          size = length - pos;
        }
        if (size < header || size > length - pos) {
          throw Mp4FormatException.malformed("top-level box of size " + size + " at " + pos
              + " overruns the file (" + length + " bytes)");
        }
        if (type == 0x6D6F6F76) { // 'moov'
          if (size - header > MAX_MOOV_BYTES) {
            throw Mp4FormatException.unsupported("moov of " + size + " bytes exceeds "
                + MAX_MOOV_BYTES);
          }
          moov = new byte[(int) (size - header)];
          raf.readFully(moov);
        }
        pos += size;
      }
      if (moov == null) {
        throw Mp4FormatException.malformed("no moov box");
      }
      return moov(file, moov, length);
    }
  }

  private static PieceMovie moov(Path file, byte[] moov, long fileLength) throws IOException {
    BoxCursor c = new BoxCursor(moov, 0, moov.length);
    long movieTimescale = 0;
    List<PieceTrack> tracks = new ArrayList<>();
    while (c.remaining() > 0) {
      BoxCursor.Child child = c.child();
      switch (child.type()) {
        case "mvhd" -> movieTimescale = mvhdTimescale(c.body(child));
        case "trak" -> tracks.add(trak(moov, c.body(child), movieTimescale));
        default -> { }
      }
    }
    if (movieTimescale == 0 || tracks.isEmpty()) {
      throw Mp4FormatException.malformed("moov without mvhd or tracks");
    }
    long start = Long.MAX_VALUE;
    long end = 0;
    for (PieceTrack t : tracks) {
      int sample = 0;
      for (int chunk = 0; chunk < t.chunkOffsets().length; chunk++) {
        long offset = t.chunkOffsets()[chunk];
        long bytes = 0;
        for (int i = 0; i < t.samplesPerChunk()[chunk]; i++) {
          bytes += t.sampleSizes()[sample++];
        }
        start = Math.min(start, offset);
        end = Math.max(end, offset + bytes);
      }
    }
    if (end > fileLength) {
      throw Mp4FormatException.malformed("samples end at " + end + ", beyond the file ("
          + fileLength + " bytes)");
    }
    return new PieceMovie(file, movieTimescale, List.copyOf(tracks), start == Long.MAX_VALUE ? 0 : start, end);
  }

  private static long mvhdTimescale(BoxCursor c) throws Mp4FormatException {
    int version = c.u8();
    c.skip(3); // flags
    c.skip(version == 1 ? 16 : 8); // creation_time, modification_time
    return c.u32(); // timescale
  }

  /** Mutable holder filled by the trak's children. */
  private static final class TrakParts {
    int trackId;
    long width;
    long height;
    int volume;
    long timescale;
    int language;
    String handler;
    byte[] hdlr;
    byte[] mediaHeader;
    byte[] dinf;
    byte[] stsd;
    long emptyEdit;
    long mediaTime;
    SampleTable table;
  }

  private static PieceTrack trak(byte[] moov, BoxCursor c, long movieTimescale)
      throws IOException {
    TrakParts p = new TrakParts();
    while (c.remaining() > 0) {
      BoxCursor.Child child = c.child();
      switch (child.type()) {
        case "tkhd" -> tkhd(c.body(child), p);
        case "edts" -> edts(c.body(child), p);
        case "mdia" -> mdia(moov, c.body(child), p);
        default -> { }
      }
    }
    if (p.table == null || p.stsd == null || p.timescale == 0 || p.handler == null) {
      throw Mp4FormatException.malformed("trak " + p.trackId + " lacks mdhd, hdlr or stbl");
    }
    SampleTable t = p.table;
    return new PieceTrack(p.trackId, p.handler, p.timescale, p.language, p.width, p.height,
        p.volume, p.hdlr, p.mediaHeader, p.dinf, p.stsd, t.sizes, t.deltas, t.ctts, t.stss,
        t.chunkOffsets, t.samplesPerChunk, p.emptyEdit, p.mediaTime, movieTimescale);
  }

  private static void tkhd(BoxCursor c, TrakParts p) throws Mp4FormatException {
    int version = c.u8();
    c.skip(3); // flags
    c.skip(version == 1 ? 16 : 8); // creation_time, modification_time
    p.trackId = c.s32(); // track_ID
    c.skip(4); // reserved
    c.skip(version == 1 ? 8 : 4); // duration
    c.skip(8); // reserved
    c.skip(4); // layer, alternate_group
    p.volume = c.u16(); // volume
    c.skip(2); // reserved
    c.skip(36); // matrix
    p.width = c.u32(); // width
    p.height = c.u32(); // height
  }

  private static void edts(BoxCursor c, TrakParts p) throws Mp4FormatException {
    while (c.remaining() > 0) {
      BoxCursor.Child child = c.child();
      if (!child.type().equals("elst")) {
        continue;
      }
      BoxCursor e = c.body(child);
      int version = e.u8();
      e.skip(3); // flags
      int n = e.count(version == 1 ? 20 : 12); // entry_count
      boolean seenMedia = false;
      for (int i = 0; i < n; i++) {
        long segmentDuration = version == 1 ? e.u64() : e.u32(); // segment_duration
        long mediaTime = version == 1 ? e.s64() : e.s32(); // media_time
        e.skip(4); // media_rate_integer, media_rate_fraction
        if (seenMedia) {
          continue;
        }
        if (mediaTime == -1) {
          p.emptyEdit += segmentDuration;
        } else {
          p.mediaTime = mediaTime;
          seenMedia = true;
        }
      }
    }
  }

  private static void mdia(byte[] moov, BoxCursor c, TrakParts p) throws IOException {
    while (c.remaining() > 0) {
      int start = c.position();
      BoxCursor.Child child = c.child();
      switch (child.type()) {
        case "mdhd" -> mdhd(c.body(child), p);
        case "hdlr" -> {
          BoxCursor h = c.body(child);
          h.skip(4); // version, flags
          h.skip(4); // pre_defined
          p.handler = h.fourcc(); // handler_type
          p.hdlr = slice(moov, start, child.bodyEnd());
        }
        case "minf" -> minf(moov, c.body(child), p);
        default -> { }
      }
    }
  }

  private static void mdhd(BoxCursor c, TrakParts p) throws Mp4FormatException {
    int version = c.u8();
    c.skip(3); // flags
    c.skip(version == 1 ? 16 : 8); // creation_time, modification_time
    p.timescale = c.u32(); // timescale
    c.skip(version == 1 ? 8 : 4); // duration
    p.language = c.u16(); // pad + language
  }

  private static void minf(byte[] moov, BoxCursor c, TrakParts p) throws IOException {
    while (c.remaining() > 0) {
      int start = c.position();
      BoxCursor.Child child = c.child();
      switch (child.type()) {
        case "vmhd", "smhd", "nmhd", "sthd" -> p.mediaHeader = slice(moov, start, child.bodyEnd());
        case "dinf" -> p.dinf = slice(moov, start, child.bodyEnd());
        case "stbl" -> stbl(moov, c.body(child), p);
        default -> { }
      }
    }
  }

  private static void stbl(byte[] moov, BoxCursor c, TrakParts p) throws IOException {
    SampleTable.Builder t = new SampleTable.Builder();
    while (c.remaining() > 0) {
      int start = c.position();
      BoxCursor.Child child = c.child();
      BoxCursor b = c.body(child);
      switch (child.type()) {
        case "stsd" -> {
          b.skip(4); // version, flags
          long entries = b.u32(); // entry_count
          if (entries != 1) {
            throw Mp4FormatException.unsupported("stsd with " + entries + " sample entries");
          }
          p.stsd = slice(moov, start, child.bodyEnd());
        }
        case "stts" -> t.stts(b);
        case "ctts" -> t.ctts(b);
        case "stss" -> t.stss(b);
        case "stsc" -> t.stsc(b);
        case "stsz" -> t.stsz(b);
        case "stco" -> t.chunkOffsets(b, false);
        case "co64" -> t.chunkOffsets(b, true);
        default -> { }
      }
    }
    p.table = t.build();
  }

  private static byte[] slice(byte[] data, int from, int to) {
    byte[] out = new byte[to - from];
    System.arraycopy(data, from, out, 0, out.length);
    return out;
  }
}
