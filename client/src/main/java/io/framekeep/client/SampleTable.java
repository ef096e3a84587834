package io.framekeep.client;

/**
 * A track's sample table expanded to one entry per sample (or chunk), from the run-length boxes
 * stts, ctts, stss, stsc, stsz and stco/co64. Every expansion is checked against the sample count
 * that stsz declares, itself capped, before arrays are sized. Immutable once built.
 */
final class SampleTable {
  /**
   * Most samples per track in one piece: 200 fragments of 20 s at 240 fps is ~1M video samples;
   * 4M bounds memory (~40 MB of arrays) whatever a piece declares.
   */
  static final int MAX_SAMPLES = 4_000_000;

  final int[] sizes;
  final long[] deltas;
  final int[] ctts;
  final long[] stss;
  final long[] chunkOffsets;
  final int[] samplesPerChunk;

  private SampleTable(int[] sizes, long[] deltas, int[] ctts, long[] stss, long[] chunkOffsets,
      int[] samplesPerChunk) {
    this.sizes = sizes;
    this.deltas = deltas;
    this.ctts = ctts;
    this.stss = stss;
    this.chunkOffsets = chunkOffsets;
    this.samplesPerChunk = samplesPerChunk;
  }

  /** Collects the boxes in any order; {@link #build} expands and cross-checks them. */
  static final class Builder {
    private long[] sttsRuns;
    private long[] cttsRuns;
    private long[] stss;
    private long[] stscRuns;
    private int[] sizes;
    private long[] chunkOffsets;

    void stts(BoxCursor c) throws Mp4FormatException {
      c.skip(4); // version, flags
      int n = c.count(8); // entry_count
      sttsRuns = new long[n * 2];
      for (int i = 0; i < n; i++) {
        sttsRuns[2 * i] = c.u32(); // sample_count
        sttsRuns[2 * i + 1] = c.u32(); // sample_delta
      }
    }

    void ctts(BoxCursor c) throws Mp4FormatException {
      int version = c.u8();
      c.skip(3); // flags
      int n = c.count(8); // entry_count
      cttsRuns = new long[n * 2];
      for (int i = 0; i < n; i++) {
        cttsRuns[2 * i] = c.u32(); // sample_count
        // sample_offset: unsigned in version 0, signed in version 1.
        cttsRuns[2 * i + 1] = version == 0 ? c.u32() : c.s32();
      }
    }

    void stss(BoxCursor c) throws Mp4FormatException {
      c.skip(4); // version, flags
      int n = c.count(4); // entry_count
      stss = new long[n];
      for (int i = 0; i < n; i++) {
        stss[i] = c.u32(); // sample_number
      }
    }

    void stsc(BoxCursor c) throws Mp4FormatException {
      c.skip(4); // version, flags
      int n = c.count(12); // entry_count
      stscRuns = new long[n * 2];
      for (int i = 0; i < n; i++) {
        stscRuns[2 * i] = c.u32(); // first_chunk
        stscRuns[2 * i + 1] = c.u32(); // samples_per_chunk
        long descriptionIndex = c.u32(); // sample_description_index
        if (descriptionIndex != 1) {
          throw Mp4FormatException.unsupported("sample_description_index " + descriptionIndex);
        }
      }
    }

    void stsz(BoxCursor c) throws Mp4FormatException {
      c.skip(4); // version, flags
      long fixed = c.u32(); // sample_size
      long count = c.u32(); // sample_count
      if (count > MAX_SAMPLES) {
        throw Mp4FormatException.unsupported(count + " samples in one track exceed " + MAX_SAMPLES);
      }
      if (fixed == 0 && count * 4 > c.remaining()) {
        throw Mp4FormatException.malformed("stsz declares " + count + " sizes in "
            + c.remaining() + " bytes");
      }
      sizes = new int[(int) count];
      for (int i = 0; i < count; i++) {
        long size = fixed != 0 ? fixed : c.u32(); // entry_size
        if (size > Integer.MAX_VALUE) {
          throw Mp4FormatException.malformed("sample of " + size + " bytes");
        }
        sizes[i] = (int) size;
      }
    }

    void chunkOffsets(BoxCursor c, boolean wide) throws Mp4FormatException {
      c.skip(4); // version, flags
      int n = c.count(wide ? 8 : 4); // entry_count
      chunkOffsets = new long[n];
      for (int i = 0; i < n; i++) {
        chunkOffsets[i] = wide ? c.u64() : c.u32(); // chunk_offset
      }
    }

    SampleTable build() throws Mp4FormatException {
      if (sizes == null || sttsRuns == null || stscRuns == null || chunkOffsets == null) {
        throw Mp4FormatException.malformed("stbl lacks stsz, stts, stsc or stco/co64");
      }
      int n = sizes.length;
      long[] deltas = new long[n];
      int filled = expand(sttsRuns, n, "stts", (i, v) -> deltas[i] = v);
      if (filled != n) {
        throw Mp4FormatException.malformed("stts covers " + filled + " of " + n + " samples");
      }
      int[] offsets = null;
      if (cttsRuns != null) {
        int[] o = new int[n];
        filled = expand(cttsRuns, n, "ctts", (i, v) -> o[i] = (int) v);
        if (filled != n) {
          throw Mp4FormatException.malformed("ctts covers " + filled + " of " + n + " samples");
        }
        offsets = o;
      }
      if (stss != null) {
        for (long s : stss) {
          if (s < 1 || s > n) {
            throw Mp4FormatException.malformed("stss names sample " + s + " of " + n);
          }
        }
      }
      return new SampleTable(sizes, deltas, offsets, stss, chunkOffsets, chunkCounts(n));
    }

    private int[] chunkCounts(int sampleCount) throws Mp4FormatException {
      int chunks = chunkOffsets.length;
      int[] perChunk = new int[chunks];
      long total = 0;
      for (int r = 0; r < stscRuns.length / 2; r++) {
        long first = stscRuns[2 * r];
        long last = r + 1 < stscRuns.length / 2 ? stscRuns[2 * r + 2] - 1 : chunks;
        if (first < 1 || last > chunks || first > last + 1) {
          throw Mp4FormatException.malformed("stsc run from chunk " + first + " of " + chunks);
        }
        for (long ch = first; ch <= last; ch++) {
          perChunk[(int) ch - 1] = (int) Math.min(stscRuns[2 * r + 1], Integer.MAX_VALUE);
          total += perChunk[(int) ch - 1];
        }
      }
      if (total != sampleCount) {
        throw Mp4FormatException.malformed("stsc places " + total + " samples, stsz has "
            + sampleCount);
      }
      return perChunk;
    }

    @FunctionalInterface
    private interface Sink {
      void set(int index, long value);
    }

    private static int expand(long[] runs, int limit, String box, Sink sink)
        throws Mp4FormatException {
      int i = 0;
      for (int r = 0; r < runs.length / 2; r++) {
        long count = runs[2 * r];
        if (count > limit - i) {
          throw Mp4FormatException.malformed(box + " runs exceed " + limit + " samples");
        }
        for (long k = 0; k < count; k++) {
          sink.set(i++, runs[2 * r + 1]);
        }
      }
      return i;
    }
  }
}
