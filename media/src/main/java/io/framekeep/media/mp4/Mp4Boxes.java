package io.framekeep.media.mp4;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The boxes of a progressive MP4 (ISO/IEC 14496-12, 14496-14, 14496-15), one method per
 * four-character code. Each returns a {@link Box} whose size is exact before anything is written;
 * field comments give the spec's field names. Creation and modification times are written as 0 so
 * that the same clip always produces the same bytes.
 */
public final class Mp4Boxes {
  private static final long U32_MAX = 0xFFFF_FFFFL;
  /** Unity transformation matrix (16.16 and 2.30 fixed point), shared by mvhd and tkhd. */
  private static final int[] UNITY_MATRIX = {0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000};
  /** ISO-639-2/T "und", packed as three 5-bit letters. */
  private static final int LANGUAGE_UND = ((('u' - 0x60) << 10) | (('n' - 0x60) << 5) | ('d' - 0x60));
  private static final byte[] VIDEO_HANDLER_NAME = "VideoHandler\0".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SOUND_HANDLER_NAME = "SoundHandler\0".getBytes(StandardCharsets.UTF_8);
  /** MPEG-4 Systems objectTypeIndication for ISO/IEC 14496-3 audio. */
  private static final int OBJECT_TYPE_MPEG4_AUDIO = 0x40;
  /** streamType 5 (audio) shifted left 2, with the upStream bit 0 and reserved bit 1. */
  private static final int STREAM_TYPE_AUDIO = (0x05 << 2) | 1;

  private Mp4Boxes() {}

  /** Progressive-file brands: isom major brand, iso2 / avc1 / mp41 compatible. */
  static Box ftyp() {
    return ftyp("isom", 512, "isom", "iso2", "avc1", "mp41");
  }

  /** A {@code ftyp} with the given major brand, minor version and compatible brands. */
  public static Box ftyp(String majorBrand, int minorVersion, String... compatibleBrands) {
    return Box.leaf("ftyp", 8 + 4L * compatibleBrands.length, out -> {
      putFourcc(out, majorBrand); // major_brand
      out.putInt(minorVersion); // minor_version
      for (String brand : compatibleBrands) {
        putFourcc(out, brand); // compatible_brands[]
      }
    });
  }

  /**
   * @param chunkOffsetBase file offset of the first mdat payload byte
   * @param co64 whether chunk offsets need 64 bits
   */
  static Box moov(List<TrackTable> tracks, long chunkOffsetBase, boolean co64) {
    List<Box> children = new ArrayList<>();
    long duration = 0;
    for (TrackTable t : tracks) {
      duration = Math.max(duration, t.presentationDuration());
    }
    children.add(mvhd(duration, tracks.size() + 1));
    for (TrackTable t : tracks) {
      children.add(trak(t, chunkOffsetBase, co64));
    }
    return Box.container("moov", children);
  }

  /** The movie header; a fragmented file's init segment has duration 0 (given by its fragments). */
  public static Box mvhd(long duration, int nextTrackId) {
    int version = duration > U32_MAX ? 1 : 0;
    int timeBytes = version == 1 ? 8 : 4;
    return Box.full("mvhd", version, 0, 3L * timeBytes + 4 + 80, out -> {
      putTime(out, version, 0); // creation_time
      putTime(out, version, 0); // modification_time
      out.putInt((int) TrackTable.MOVIE_TIMESCALE); // timescale
      putTime(out, version, duration); // duration
      out.putInt(0x00010000); // rate 1.0
      out.putShort((short) 0x0100); // volume 1.0
      out.putShort((short) 0); // reserved
      out.putLong(0); // reserved[2]
      putMatrix(out); // matrix
      for (int i = 0; i < 6; i++) {
        out.putInt(0); // pre_defined[6]
      }
      out.putInt(nextTrackId); // next_track_ID
    });
  }

  static Box trak(TrackTable t, long chunkOffsetBase, boolean co64) {
    return Box.container("trak",
        List.of(tkhd(t), edts(t), mdia(t, chunkOffsetBase, co64)));
  }

  static Box tkhd(TrackTable t) {
    long duration = t.presentationDuration();
    int version = duration > U32_MAX ? 1 : 0;
    int timeBytes = version == 1 ? 8 : 4;
    int flagsEnabledInMovie = 0x000003;
    return Box.full("tkhd", version, flagsEnabledInMovie, 3L * timeBytes + 8 + 60, out -> {
      putTime(out, version, 0); // creation_time
      putTime(out, version, 0); // modification_time
      out.putInt(t.trackId); // track_ID
      out.putInt(0); // reserved
      putTime(out, version, duration); // duration
      out.putLong(0); // reserved[2]
      out.putShort((short) 0); // layer
      out.putShort((short) (t.isVideo ? 0 : 1)); // alternate_group
      out.putShort((short) (t.isVideo ? 0 : 0x0100)); // volume
      out.putShort((short) 0); // reserved
      putMatrix(out); // matrix
      out.putInt(t.width << 16); // width, 16.16
      out.putInt(t.height << 16); // height, 16.16
    });
  }

  static Box edts(TrackTable t) {
    return Box.container("edts", List.of(elst(t.edits)));
  }

  static Box elst(List<TrackTable.Edit> edits) {
    boolean wide = false;
    for (TrackTable.Edit e : edits) {
      wide |= e.segmentDuration() > U32_MAX || e.mediaTime() > Integer.MAX_VALUE;
    }
    int version = wide ? 1 : 0;
    int entryBytes = version == 1 ? 20 : 12;
    return Box.full("elst", version, 0, 4L + (long) entryBytes * edits.size(), out -> {
      out.putInt(edits.size()); // entry_count
      for (TrackTable.Edit e : edits) {
        putTime(out, version, e.segmentDuration()); // segment_duration
        putTime(out, version, e.mediaTime()); // media_time
        out.putShort((short) 1); // media_rate_integer
        out.putShort((short) 0); // media_rate_fraction
      }
    });
  }

  static Box mdia(TrackTable t, long chunkOffsetBase, boolean co64) {
    return Box.container("mdia", List.of(mdhd(t), hdlr(t), minf(t, chunkOffsetBase, co64)));
  }

  static Box mdhd(TrackTable t) {
    int version = t.mediaDuration > U32_MAX ? 1 : 0;
    int timeBytes = version == 1 ? 8 : 4;
    return Box.full("mdhd", version, 0, 3L * timeBytes + 4 + 4, out -> {
      putTime(out, version, 0); // creation_time
      putTime(out, version, 0); // modification_time
      out.putInt((int) t.timescale); // timescale
      putTime(out, version, t.mediaDuration); // duration
      out.putShort((short) LANGUAGE_UND); // pad, language
      out.putShort((short) 0); // pre_defined
    });
  }

  static Box hdlr(TrackTable t) {
    return hdlr(t.isVideo);
  }

  /** The handler of a video ({@code vide}) or sound ({@code soun}) track. */
  public static Box hdlr(boolean video) {
    byte[] name = video ? VIDEO_HANDLER_NAME : SOUND_HANDLER_NAME;
    return Box.full("hdlr", 0, 0, 20L + name.length, out -> {
      out.putInt(0); // pre_defined
      putFourcc(out, video ? "vide" : "soun"); // handler_type
      out.putInt(0); // reserved[0]
      out.putInt(0); // reserved[1]
      out.putInt(0); // reserved[2]
      out.put(name); // name, null-terminated
    });
  }

  static Box minf(TrackTable t, long chunkOffsetBase, boolean co64) {
    return Box.container("minf",
        List.of(t.isVideo ? vmhd() : smhd(), dinf(), stbl(t, chunkOffsetBase, co64)));
  }

  public static Box vmhd() {
    return Box.full("vmhd", 0, 1, 8, out -> {
      out.putShort((short) 0); // graphicsmode
      out.putShort((short) 0); // opcolor[0]
      out.putShort((short) 0); // opcolor[1]
      out.putShort((short) 0); // opcolor[2]
    });
  }

  public static Box smhd() {
    return Box.full("smhd", 0, 0, 4, out -> {
      out.putShort((short) 0); // balance
      out.putShort((short) 0); // reserved
    });
  }

  public static Box dinf() {
    return Box.container("dinf", List.of(dref()));
  }

  static Box dref() {
    return Box.withChildren("dref", 8, out -> {
      out.putInt(0); // version, flags
      out.putInt(1); // entry_count
    }, List.of(url()));
  }

  static Box url() {
    int flagSelfContained = 1;
    return Box.full("url ", 0, flagSelfContained, 0, out -> {});
  }

  static Box stbl(TrackTable t, long chunkOffsetBase, boolean co64) {
    List<Box> children = new ArrayList<>();
    children.add(stsd(t.sampleEntry));
    children.add(stts(t.stts));
    if (t.ctts != null) {
      children.add(ctts(t.ctts));
    }
    if (t.syncSamples != null) {
      children.add(stss(t.syncSamples));
    }
    children.add(stsz(t.sampleSizes));
    children.add(stsc(t.stsc));
    children.add(co64
        ? co64(t.chunkPayloadOffsets, chunkOffsetBase)
        : stco(t.chunkPayloadOffsets, chunkOffsetBase));
    return Box.container("stbl", children);
  }

  public static Box stsd(Box sampleEntry) {
    return Box.withChildren("stsd", 8, out -> {
      out.putInt(0); // version, flags
      out.putInt(1); // entry_count
    }, List.of(sampleEntry));
  }

  /** The visual sample entry for a format: {@link #avc1} or {@link #hvc1}. */
  static Box videoSampleEntry(VideoCodec.VisualFormat format) {
    return "hvc1".equals(format.sampleEntryType()) ? hvc1(format) : avc1(format);
  }

  /** An AVC VisualSampleEntry ({@code avc1}) with its {@code avcC}. */
  static Box avc1(VideoCodec.VisualFormat format) {
    return visualSampleEntry("avc1", format);
  }

  /**
   * An HEVC VisualSampleEntry ({@code hvc1}, ISO/IEC 14496-15 §8.4.1) with its {@code hvcC}:
   * parameter sets travel in the configuration box, as Safari and QuickTime require.
   */
  static Box hvc1(VideoCodec.VisualFormat format) {
    return visualSampleEntry("hvc1", format);
  }

  private static Box visualSampleEntry(String type, VideoCodec.VisualFormat format) {
    Box config = configBox(format.configBoxType(), format.config());
    return Box.withChildren(type, 78, out -> {
      putSampleEntryHeader(out);
      out.putShort((short) 0); // pre_defined
      out.putShort((short) 0); // reserved
      out.putInt(0); // pre_defined[0]
      out.putInt(0); // pre_defined[1]
      out.putInt(0); // pre_defined[2]
      out.putShort((short) format.width()); // width
      out.putShort((short) format.height()); // height
      out.putInt(0x00480000); // horizresolution, 72 dpi
      out.putInt(0x00480000); // vertresolution, 72 dpi
      out.putInt(0); // reserved
      out.putShort((short) 1); // frame_count
      out.put(new byte[32]); // compressorname
      out.putShort((short) 0x0018); // depth
      out.putShort((short) -1); // pre_defined
    }, List.of(config));
  }

  /** {@code avcC} / {@code hvcC}: the decoder configuration record exactly as stored. */
  static Box configBox(String type, byte[] record) {
    return Box.leaf(type, record.length, out -> out.put(record));
  }

  /** An MPEG-4 audio AudioSampleEntry with its {@code esds}. */
  static Box mp4a(AudioCodec.AudioFormat format, SampleCollector.TrackSamples samples) {
    long totalBytes = 0;
    long maxSample = 0;
    for (int i = 0; i < samples.count(); i++) {
      totalBytes += samples.sizes.get(i);
      maxSample = Math.max(maxSample, samples.sizes.get(i));
    }
    long durationSamples = Math.max(1L, (long) samples.count() * format.samplesPerFrame());
    long avgBitrate = Math.min(U32_MAX,
        totalBytes * 8 * format.sampleRateHz() / durationSamples);
    return mp4a(format, maxSample, avgBitrate);
  }

  /**
   * An MPEG-4 audio AudioSampleEntry whose {@code esds} declares {@code maxSampleBytes} as the
   * buffer size and {@code avgBitrate} as both bit rates (0 when unknown, as in a fragmented MP4
   * init segment written before its samples).
   */
  static Box mp4a(AudioCodec.AudioFormat format, long maxSampleBytes, long avgBitrate) {
    Box esds = esds(format.decoderSpecificInfo(), maxSampleBytes, avgBitrate);
    int rate = format.sampleRateHz();
    return Box.withChildren("mp4a", 28, out -> {
      putSampleEntryHeader(out);
      out.putLong(0); // reserved[2]
      out.putShort((short) format.channelCount()); // channelcount
      out.putShort((short) 16); // samplesize
      out.putShort((short) 0); // pre_defined
      out.putShort((short) 0); // reserved
      out.putInt(rate <= 0xFFFF ? rate << 16 : 0); // samplerate, 16.16 (0 when it does not fit)
    }, List.of(esds));
  }

  /** The audio sample entry for a format: {@link #mp4a}, {@link #alaw} or {@link #ulaw}. */
  static Box audioSampleEntry(AudioCodec.AudioFormat format, SampleCollector.TrackSamples samples) {
    switch (format.sampleEntryType()) {
      case "alaw":
        return alaw(format);
      case "ulaw":
        return ulaw(format);
      default:
        return mp4a(format, samples);
    }
  }

  /** G.711 A-law: a QuickTime version-0 SoundSampleDescription of type {@code alaw}. */
  static Box alaw(AudioCodec.AudioFormat format) {
    return g711SampleEntry("alaw", format);
  }

  /** G.711 µ-law: a QuickTime version-0 SoundSampleDescription of type {@code ulaw}. */
  static Box ulaw(AudioCodec.AudioFormat format) {
    return g711SampleEntry("ulaw", format);
  }

  /**
   * The 28-byte SoundSampleDescription (version 0) shared by {@code alaw} and {@code ulaw}; it has
   * the byte layout of an ISO AudioSampleEntry and no child box. Decoders take the bit depth from
   * the format (8 bits per sample) and the timing from the sample table.
   */
  private static Box g711SampleEntry(String type, AudioCodec.AudioFormat format) {
    int rate = format.sampleRateHz();
    return Box.leaf(type, 28, out -> {
      putSampleEntryHeader(out);
      out.putShort((short) 0); // version
      out.putShort((short) 0); // revision_level
      out.putInt(0); // vendor
      out.putShort((short) format.channelCount()); // number_of_channels
      out.putShort((short) 16); // sample_size (decompressed bits, QuickTime convention)
      out.putShort((short) 0); // compression_ID
      out.putShort((short) 0); // packet_size
      out.putInt(rate <= 0xFFFF ? rate << 16 : 0); // sample_rate, 16.16 (0 when it does not fit)
    });
  }

  /** {@code esds}: ES_Descriptor → DecoderConfigDescriptor → DecoderSpecificInfo, SLConfig. */
  static Box esds(byte[] decoderSpecificInfo, long bufferSizeBytes, long avgBitrate) {
    long dsiBody = decoderSpecificInfo.length;
    long dcdBody = 13 + descriptorSize(dsiBody);
    long slBody = 1;
    long esBody = 3 + descriptorSize(dcdBody) + descriptorSize(slBody);
    return Box.full("esds", 0, 0, descriptorSize(esBody), out -> {
      putDescriptorHeader(out, 0x03, esBody); // ES_DescrTag
      out.putShort((short) 0); // ES_ID
      out.put((byte) 0); // streamDependenceFlag, URL_Flag, OCRstreamFlag, streamPriority
      putDescriptorHeader(out, 0x04, dcdBody); // DecoderConfigDescrTag
      out.put((byte) OBJECT_TYPE_MPEG4_AUDIO); // objectTypeIndication
      out.put((byte) STREAM_TYPE_AUDIO); // streamType, upStream, reserved
      long buffer = Math.min(bufferSizeBytes, 0xFF_FFFFL);
      out.put((byte) (buffer >>> 16)); // bufferSizeDB (24 bits)
      out.putShort((short) buffer);
      out.putInt((int) avgBitrate); // maxBitrate
      out.putInt((int) avgBitrate); // avgBitrate
      putDescriptorHeader(out, 0x05, dsiBody); // DecSpecificInfoTag
      out.put(decoderSpecificInfo); // AudioSpecificConfig
      putDescriptorHeader(out, 0x06, slBody); // SLConfigDescrTag
      out.put((byte) 2); // predefined = 2 (reserved for MP4 files)
    });
  }

  public static Box stts(long[] pairs) {
    return Box.full("stts", 0, 0, 4L + 4L * pairs.length, out -> {
      out.putInt(pairs.length / 2); // entry_count
      for (long v : pairs) {
        out.putInt((int) v); // sample_count, sample_delta
      }
    });
  }

  static Box ctts(long[] pairs) {
    return Box.full("ctts", 0, 0, 4L + 4L * pairs.length, out -> {
      out.putInt(pairs.length / 2); // entry_count
      for (long v : pairs) {
        out.putInt((int) v); // sample_count, sample_offset
      }
    });
  }

  static Box stss(long[] sampleNumbers) {
    return Box.full("stss", 0, 0, 4L + 4L * sampleNumbers.length, out -> {
      out.putInt(sampleNumbers.length); // entry_count
      for (long n : sampleNumbers) {
        out.putInt((int) n); // sample_number
      }
    });
  }

  public static Box stsz(long[] sizes) {
    return Box.full("stsz", 0, 0, 8L + 4L * sizes.length, out -> {
      out.putInt(0); // sample_size (0: sizes follow)
      out.putInt(sizes.length); // sample_count
      for (long size : sizes) {
        out.putInt((int) size); // entry_size
      }
    });
  }

  public static Box stsc(long[] pairs) {
    int entries = pairs.length / 2;
    return Box.full("stsc", 0, 0, 4L + 12L * entries, out -> {
      out.putInt(entries); // entry_count
      for (int i = 0; i < entries; i++) {
        out.putInt((int) pairs[2 * i]); // first_chunk
        out.putInt((int) pairs[2 * i + 1]); // samples_per_chunk
        out.putInt(1); // sample_description_index
      }
    });
  }

  public static Box stco(long[] payloadOffsets, long base) {
    return Box.full("stco", 0, 0, 4L + 4L * payloadOffsets.length, out -> {
      out.putInt(payloadOffsets.length); // entry_count
      for (long offset : payloadOffsets) {
        out.putInt((int) (base + offset)); // chunk_offset
      }
    });
  }

  static Box co64(long[] payloadOffsets, long base) {
    return Box.full("co64", 0, 0, 4L + 8L * payloadOffsets.length, out -> {
      out.putInt(payloadOffsets.length); // entry_count
      for (long offset : payloadOffsets) {
        out.putLong(base + offset); // chunk_offset
      }
    });
  }

  /** Size of the mdat header for a payload: 8 bytes, or 16 with the 64-bit largesize. */
  static int mdatHeaderSize(long payloadBytes) {
    return payloadBytes + Box.HEADER_BYTES > U32_MAX ? 16 : Box.HEADER_BYTES;
  }

  /** Writes the {@code mdat} header; the payload itself is streamed separately. */
  static void mdatHeader(ByteBuffer out, long payloadBytes) {
    int headerSize = mdatHeaderSize(payloadBytes);
    if (headerSize == Box.HEADER_BYTES) {
      out.putInt((int) (payloadBytes + headerSize)); // size
      putFourcc(out, "mdat"); // type
    } else {
      out.putInt(1); // size = 1: largesize follows
      putFourcc(out, "mdat"); // type
      out.putLong(payloadBytes + headerSize); // largesize
    }
  }

  private static void putSampleEntryHeader(ByteBuffer out) {
    out.put(new byte[6]); // reserved[6]
    out.putShort((short) 1); // data_reference_index
  }

  private static long descriptorSize(long body) {
    return 1 + (body < 0x80 ? 1 : 4) + body;
  }

  /** Descriptor tag and length: one byte when below 128, else the 4-byte expandable form. */
  private static void putDescriptorHeader(ByteBuffer out, int tag, long body) {
    out.put((byte) tag);
    if (body < 0x80) {
      out.put((byte) body);
    } else {
      out.put((byte) (0x80 | ((body >>> 21) & 0x7F)));
      out.put((byte) (0x80 | ((body >>> 14) & 0x7F)));
      out.put((byte) (0x80 | ((body >>> 7) & 0x7F)));
      out.put((byte) (body & 0x7F));
    }
  }

  private static void putTime(ByteBuffer out, int version, long value) {
    if (version == 1) {
      out.putLong(value);
    } else {
      out.putInt((int) value);
    }
  }

  /** Writes the unity transformation matrix of mvhd and tkhd. */
  public static void putMatrix(ByteBuffer out) {
    for (int v : UNITY_MATRIX) {
      out.putInt(v);
    }
  }

  private static void putFourcc(ByteBuffer out, String fourcc) {
    out.put(fourcc.getBytes(StandardCharsets.ISO_8859_1));
  }
}
