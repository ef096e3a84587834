package io.framekeep.media.fmp4;

import io.framekeep.media.mp4.Box;
import io.framekeep.media.mp4.Mp4Boxes;
import java.util.ArrayList;
import java.util.List;

/**
 * The boxes of a fragmented MP4 (ISO/IEC 14496-12 §8.8) that the progressive writer has no use
 * for, one method per four-character code, each sized exactly before it is written; field comments
 * give the spec's field names. The sample-table leaves and sample entries come from {@link
 * Mp4Boxes}. Times are written as 0 so that the same input always gives the same bytes.
 */
final class Fmp4Boxes {
  /** ISO-639-2/T "und", packed as three 5-bit letters. */
  private static final int LANGUAGE_UND = (('u' - 0x60) << 10) | (('n' - 0x60) << 5) | ('d' - 0x60);
  /** tfhd flag: data offsets are relative to the start of the enclosing moof. */
  static final int TFHD_DEFAULT_BASE_IS_MOOF = 0x020000;
  static final int TRUN_DATA_OFFSET = 0x000001;
  static final int TRUN_SAMPLE_DURATION = 0x000100;
  static final int TRUN_SAMPLE_SIZE = 0x000200;
  static final int TRUN_SAMPLE_FLAGS = 0x000400;
  static final int TRUN_SAMPLE_CTS_OFFSET = 0x000800;
  /** sample_depends_on = 2 (depends on no other sample): a sync sample. */
  static final int SAMPLE_FLAGS_SYNC = 0x02000000;
  /** sample_depends_on = 1, sample_is_non_sync_sample = 1. */
  static final int SAMPLE_FLAGS_NON_SYNC = 0x01010000;

  private Fmp4Boxes() {}

  /** CMAF-style brands: iso6 (signed trun offsets), with iso5 / dash / mp41 for older readers. */
  static Box ftyp() {
    return Mp4Boxes.ftyp("iso6", 0, "iso6", "iso5", "dash", "mp41");
  }

  /** One track of the init segment. */
  record InitTrack(int trackId, boolean video, int timescale, Box sampleEntry, int width,
      int height) {}

  static Box moov(List<InitTrack> tracks) {
    List<Box> children = new ArrayList<>();
    children.add(Mp4Boxes.mvhd(0, tracks.size() + 1)); // duration 0: given by the fragments
    List<Box> trex = new ArrayList<>();
    for (InitTrack t : tracks) {
      children.add(trak(t));
      trex.add(trex(t.trackId()));
    }
    children.add(Box.container("mvex", trex));
    return Box.container("moov", children);
  }

  static Box trak(InitTrack t) {
    return Box.container("trak", List.of(tkhd(t), mdia(t)));
  }

  static Box tkhd(InitTrack t) {
    int flagsEnabledInMovie = 0x000003;
    return Box.full("tkhd", 0, flagsEnabledInMovie, 3L * 4 + 8 + 60, out -> {
      out.putInt(0); // creation_time
      out.putInt(0); // modification_time
      out.putInt(t.trackId()); // track_ID
      out.putInt(0); // reserved
      out.putInt(0); // duration
      out.putLong(0); // reserved[2]
      out.putShort((short) 0); // layer
      out.putShort((short) 0); // alternate_group
      out.putShort((short) (t.video() ? 0 : 0x0100)); // volume
      out.putShort((short) 0); // reserved
      Mp4Boxes.putMatrix(out); // matrix
      out.putInt(t.width() << 16); // width, 16.16
      out.putInt(t.height() << 16); // height, 16.16
    });
  }

  static Box mdia(InitTrack t) {
    return Box.container("mdia", List.of(mdhd(t), Mp4Boxes.hdlr(t.video()), minf(t)));
  }

  static Box mdhd(InitTrack t) {
    return Box.full("mdhd", 0, 0, 3L * 4 + 4 + 4, out -> {
      out.putInt(0); // creation_time
      out.putInt(0); // modification_time
      out.putInt(t.timescale()); // timescale
      out.putInt(0); // duration
      out.putShort((short) LANGUAGE_UND); // pad, language
      out.putShort((short) 0); // pre_defined
    });
  }

  /** Media information with an empty sample table: every sample lives in a fragment. */
  static Box minf(InitTrack t) {
    Box stbl = Box.container("stbl", List.of(Mp4Boxes.stsd(t.sampleEntry()),
        Mp4Boxes.stts(new long[0]), Mp4Boxes.stsc(new long[0]), Mp4Boxes.stsz(new long[0]),
        Mp4Boxes.stco(new long[0], 0)));
    return Box.container("minf",
        List.of(t.video() ? Mp4Boxes.vmhd() : Mp4Boxes.smhd(), Mp4Boxes.dinf(), stbl));
  }

  static Box trex(int trackId) {
    return Box.full("trex", 0, 0, 20, out -> {
      out.putInt(trackId); // track_ID
      out.putInt(1); // default_sample_description_index
      out.putInt(0); // default_sample_duration
      out.putInt(0); // default_sample_size
      out.putInt(0); // default_sample_flags
    });
  }

  static Box mfhd(long sequenceNumber) {
    return Box.full("mfhd", 0, 0, 4, out -> out.putInt((int) sequenceNumber)); // sequence_number
  }

  static Box tfhd(int trackId) {
    return Box.full("tfhd", 0, TFHD_DEFAULT_BASE_IS_MOOF, 4,
        out -> out.putInt(trackId)); // track_ID
  }

  static Box tfdt(long baseMediaDecodeTime) {
    return Box.full("tfdt", 1, 0, 8,
        out -> out.putLong(baseMediaDecodeTime)); // baseMediaDecodeTime
  }

  /**
   * {@code trun} version 1 (signed composition offsets). Per-sample fields are written when their
   * array is non-null: durations, sizes, flags, composition offsets.
   *
   * @param dataOffset offset of the first sample's bytes from the start of the moof
   */
  static Box trun(int dataOffset, long[] durations, long[] sizes, int[] flags, long[] ctsOffsets) {
    int n = sizes.length;
    int trFlags = TRUN_DATA_OFFSET | TRUN_SAMPLE_DURATION | TRUN_SAMPLE_SIZE
        | (flags != null ? TRUN_SAMPLE_FLAGS : 0)
        | (ctsOffsets != null ? TRUN_SAMPLE_CTS_OFFSET : 0);
    int perSample = 8 + (flags != null ? 4 : 0) + (ctsOffsets != null ? 4 : 0);
    return Box.full("trun", 1, trFlags, 8L + (long) perSample * n, out -> {
      out.putInt(n); // sample_count
      out.putInt(dataOffset); // data_offset
      for (int i = 0; i < n; i++) {
        out.putInt((int) durations[i]); // sample_duration
        out.putInt((int) sizes[i]); // sample_size
        if (flags != null) {
          out.putInt(flags[i]); // sample_flags
        }
        if (ctsOffsets != null) {
          out.putInt((int) ctsOffsets[i]); // sample_composition_time_offset (signed)
        }
      }
    });
  }
}
