package io.framekeep.media.hls;

import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.codec.AvcDecoderConfig;
import io.framekeep.media.codec.CodecIds;
import io.framekeep.media.mp4.PlaybackTracks;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One HLS MPEG-TS segment (ISO/IEC 13818-1) per stored fragment: PAT, PMT, then one PES packet
 * per frame in storage (decode) order. H.264 frames become Annex-B access units, each starting
 * with an access unit delimiter and, on key frames, the SPS and PPS of the codec private data; AAC
 * frames get an ADTS header (ISO/IEC 13818-7 §6.2). Timestamps are the session timeline in 90 kHz
 * plus {@link #TIMESTAMP_OFFSET_TICKS}; decode times are the sorted presentation times moved back
 * just enough that no frame decodes after it is shown. Each segment restarts its continuity
 * counters, which players accept at segment boundaries.
 *
 * <p>Unlike fMP4, the payload is interleaved with 4-byte packet headers, so the segment is built
 * in memory from the fragment's bytes (bounded by the ingest fragment size limit). Stateless and
 * thread-safe.
 */
public final class TsSegmentWriter {
  static final int PACKET_BYTES = 188;
  static final int PID_PAT = 0x0000;
  static final int PID_PMT = 0x1000;
  static final int PID_VIDEO = 0x0100;
  static final int PID_AUDIO = 0x0101;
  static final int STREAM_ID_VIDEO = 0xE0;
  static final int STREAM_ID_AUDIO = 0xC0;
  static final int STREAM_TYPE_H264 = 0x1B;
  static final int STREAM_TYPE_AAC_ADTS = 0x0F;
  /** Added to every PTS/DTS so that reordered decode times stay positive: 1 s at 90 kHz. */
  static final long TIMESTAMP_OFFSET_TICKS = 90_000;
  /** PTS/DTS/PCR base are 33-bit. */
  private static final long TIMESTAMP_MASK = (1L << 33) - 1;
  private static final int TICKS_PER_SECOND = 90_000;
  private static final long NS_PER_SECOND = 1_000_000_000L;
  private static final byte[] START_CODE = {0, 0, 0, 1};
  /** Access unit delimiter NAL (type 9), primary_pic_type 7: any slice type. */
  private static final byte[] ACCESS_UNIT_DELIMITER = {0, 0, 0, 1, 0x09, (byte) 0xF0};
  private static final int[] AAC_SAMPLE_RATES = {
    96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350
  };

  private TsSegmentWriter() {}

  /**
   * Whether MPEG-TS can carry these tracks (spec §4.5): H.264 video, AAC or no audio.
   */
  public static boolean supports(PlaybackTracks tracks) {
    return tracks.hasVideo() && CodecIds.isH264(tracks.video().codecId())
        && (!tracks.hasAudio() || CodecIds.isAac(tracks.audio().codecId()));
  }

  /**
   * The segment of one stored fragment.
   *
   * @param payload the fragment's stored bytes, positioned at its first byte
   * @param fragmentStartNs where the fragment's cluster timecode falls on the session timeline
   * @throws MediaFormatException unsupported codecs, invalid codec private data, or a frame that
   *     is empty, not made of complete NAL units, or outside the payload
   */
  public static byte[] segment(PlaybackTracks tracks, FrameTable table, ByteBuffer payload,
      long fragmentStartNs) throws MediaFormatException {
    if (!supports(tracks)) {
      throw MediaFormatException.unsupported("MPEG-TS carries H.264 video with AAC or no audio");
    }
    AvcDecoderConfig avc = AvcDecoderConfig.parse(tracks.video().codecPrivate());
    byte[] adts = tracks.hasAudio() ? adtsTemplate(tracks.audio().codecPrivate()) : null;
    long videoTrack = tracks.video().trackNumber();
    long audioTrack = tracks.hasAudio() ? tracks.audio().trackNumber() : -1;
    long[] pts = new long[table.size()];
    int videoCount = 0;
    for (int i = 0; i < table.size(); i++) {
      long ns = Math.max(0, fragmentStartNs + (long) table.relativeTimeTicks(i)
          * table.timecodeScaleNs());
      pts[i] = ticks(ns) + TIMESTAMP_OFFSET_TICKS;
      videoCount += table.trackNumber(i) == videoTrack ? 1 : 0;
    }
    long[] videoDts = videoDecodeTimes(table, videoTrack, pts, videoCount);
    Packets out = new Packets();
    out.section(PID_PAT, pat());
    out.section(PID_PMT, pmt(adts != null));
    int v = 0;
    for (int i = 0; i < table.size(); i++) {
      byte[] frame = frame(table, i, payload);
      if (table.trackNumber(i) == videoTrack) {
        byte[] au = accessUnit(frame, table.isKeyFrame(i), table.isAnnexB(i), avc, i);
        long dts = videoDts[v++];
        out.pes(PID_VIDEO, pesHeader(STREAM_ID_VIDEO, 0, pts[i], dts), au, dts,
            table.isKeyFrame(i));
      } else if (table.trackNumber(i) == audioTrack) {
        byte[] header = adtsHeader(adts, frame.length);
        int pesLength = 3 + 5 + header.length + frame.length;
        byte[] body = new byte[header.length + frame.length];
        System.arraycopy(header, 0, body, 0, header.length);
        System.arraycopy(frame, 0, body, header.length, frame.length);
        out.pes(PID_AUDIO, pesHeader(STREAM_ID_AUDIO, pesLength, pts[i], -1), body, -1, false);
      }
    }
    return out.bytes();
  }

  /** Sorted presentation times, shifted back so that none is after its frame's PTS. */
  private static long[] videoDecodeTimes(FrameTable table, long videoTrack, long[] pts,
      int videoCount) {
    long[] videoPts = new long[videoCount];
    int v = 0;
    for (int i = 0; i < table.size(); i++) {
      if (table.trackNumber(i) == videoTrack) {
        videoPts[v++] = pts[i];
      }
    }
    long[] dts = videoPts.clone();
    Arrays.sort(dts);
    long shift = 0;
    for (int k = 0; k < videoCount; k++) {
      shift = Math.max(shift, dts[k] - videoPts[k]);
    }
    for (int k = 0; k < videoCount; k++) {
      dts[k] = Math.max(0, dts[k] - shift);
    }
    return dts;
  }

  private static byte[] frame(FrameTable table, int i, ByteBuffer payload)
      throws MediaFormatException {
    int offset = table.offset(i);
    int size = table.frameSize(i);
    if (size <= 0 || offset < 0 || (long) offset + size > payload.remaining()) {
      throw MediaFormatException.invalidMediaFrame("frame " + i + " of " + size
          + " bytes at " + offset + " is empty or outside the fragment");
    }
    byte[] bytes = new byte[size];
    payload.duplicate().position(payload.position() + offset).get(bytes);
    return bytes;
  }

  /** AUD, SPS + PPS on key frames, then the frame's NAL units with start codes. */
  private static byte[] accessUnit(byte[] frame, boolean key, boolean annexB,
      AvcDecoderConfig avc, int index) throws MediaFormatException {
    ByteArrayOutputStream au = new ByteArrayOutputStream(frame.length + 64);
    au.writeBytes(ACCESS_UNIT_DELIMITER);
    if (key) {
      for (byte[] sps : avc.sps()) {
        au.writeBytes(START_CODE);
        au.writeBytes(sps);
      }
      for (byte[] pps : avc.pps()) {
        au.writeBytes(START_CODE);
        au.writeBytes(pps);
      }
    }
    if (annexB) {
      au.writeBytes(frame);
      return au.toByteArray();
    }
    int lengthSize = avc.nalLengthSize();
    int at = 0;
    while (at < frame.length) {
      if (at + lengthSize > frame.length) {
        throw MediaFormatException.invalidMediaFrame("video frame " + index
            + " ends inside a NAL unit length");
      }
      long nalBytes = 0;
      for (int b = 0; b < lengthSize; b++) {
        nalBytes = (nalBytes << 8) | (frame[at + b] & 0xFF);
      }
      at += lengthSize;
      if (nalBytes > frame.length - at) {
        throw MediaFormatException.invalidMediaFrame("video frame " + index + " has a NAL unit of "
            + nalBytes + " bytes where " + (frame.length - at) + " remain");
      }
      au.writeBytes(START_CODE);
      au.write(frame, at, (int) nalBytes);
      at += (int) nalBytes;
    }
    return au.toByteArray();
  }

  /**
   * The fixed part of the ADTS header from an AudioSpecificConfig: profile, sampling frequency
   * index, channel configuration (bytes 0..3, frame length filled in per frame).
   */
  static byte[] adtsTemplate(byte[] asc) throws MediaFormatException {
    if (asc.length < 2) {
      throw MediaFormatException.invalidCodecPrivateData("AAC AudioSpecificConfig too short");
    }
    int objectType = (asc[0] & 0xFF) >> 3;
    int frequencyIndex = ((asc[0] & 0x07) << 1) | ((asc[1] & 0xFF) >> 7);
    int channels = ((asc[1] & 0xFF) >> 3) & 0x0F;
    if (objectType < 1 || objectType > 4 || frequencyIndex >= AAC_SAMPLE_RATES.length
        || channels == 0) {
      throw MediaFormatException.unsupported("MPEG-TS carries AAC object types 1-4 with an indexed"
          + " sampling frequency and channel configuration; this track has object type "
          + objectType + ", frequency index " + frequencyIndex + ", channels " + channels);
    }
    return new byte[] {
      (byte) 0xFF, // syncword (high 8 bits)
      (byte) 0xF1, // syncword, ID = 0 (MPEG-4), layer 00, protection_absent = 1
      (byte) (((objectType - 1) << 6) | (frequencyIndex << 2) | (channels >> 2)), // profile, ...
      (byte) ((channels & 3) << 6) // channel_configuration (low 2 bits), then frame length
    };
  }

  /** A 7-byte ADTS header for a raw AAC frame of {@code rawBytes}. */
  static byte[] adtsHeader(byte[] template, int rawBytes) throws MediaFormatException {
    int length = rawBytes + 7;
    if (length > 0x1FFF) {
      throw MediaFormatException.invalidMediaFrame("AAC frame of " + rawBytes
          + " bytes does not fit an ADTS frame");
    }
    return new byte[] {
      template[0], template[1], template[2],
      (byte) (template[3] | (length >> 11)), // frame_length (2 high bits)
      (byte) (length >> 3), // frame_length (middle 8 bits)
      (byte) (((length & 7) << 5) | 0x1F), // frame_length (3 low bits), buffer fullness 0x7FF
      (byte) 0xFC // buffer fullness (low 6 bits), number_of_raw_data_blocks_in_frame = 0
    };
  }

  /**
   * A PES header with PTS (and DTS when {@code dts >= 0} and different).
   *
   * @param pesPacketLength PES_packet_length, 0 for unbounded video
   */
  private static byte[] pesHeader(int streamId, int pesPacketLength, long pts, long dts) {
    boolean withDts = dts >= 0 && dts != pts;
    ByteBuffer h = ByteBuffer.allocate(withDts ? 19 : 14);
    h.put((byte) 0).put((byte) 0).put((byte) 1); // packet_start_code_prefix
    h.put((byte) streamId); // stream_id
    h.putShort((short) (withDts && pesPacketLength > 0 ? pesPacketLength + 5 : pesPacketLength));
    h.put((byte) 0x80); // '10', no scrambling, no priority, no alignment, no copyright
    h.put((byte) (withDts ? 0xC0 : 0x80)); // PTS_DTS_flags
    h.put((byte) (withDts ? 10 : 5)); // PES_header_data_length
    putTimestamp(h, withDts ? 0x3 : 0x2, pts);
    if (withDts) {
      putTimestamp(h, 0x1, dts);
    }
    return h.array();
  }

  private static void putTimestamp(ByteBuffer out, int prefix, long ticks) {
    long t = ticks & TIMESTAMP_MASK;
    out.put((byte) ((prefix << 4) | ((t >> 29) & 0x0E) | 1));
    out.put((byte) (t >> 22));
    out.put((byte) (((t >> 14) & 0xFE) | 1));
    out.put((byte) (t >> 7));
    out.put((byte) (((t << 1) & 0xFE) | 1));
  }

  private static byte[] pat() {
    ByteBuffer s = ByteBuffer.allocate(12);
    s.put((byte) 0x00); // table_id: program_association_section
    s.putShort((short) (0xB000 | 13)); // section_syntax_indicator, section_length
    s.putShort((short) 1); // transport_stream_id
    s.put((byte) 0xC1); // version_number 0, current_next_indicator 1
    s.put((byte) 0).put((byte) 0); // section_number, last_section_number
    s.putShort((short) 1); // program_number
    s.putShort((short) (0xE000 | PID_PMT)); // program_map_PID
    return withCrc(s.array(), 12);
  }

  private static byte[] pmt(boolean audio) {
    int streams = audio ? 2 : 1;
    int sectionLength = 9 + 5 * streams + 4;
    ByteBuffer s = ByteBuffer.allocate(3 + sectionLength - 4);
    s.put((byte) 0x02); // table_id: TS_program_map_section
    s.putShort((short) (0xB000 | sectionLength)); // section_syntax_indicator, section_length
    s.putShort((short) 1); // program_number
    s.put((byte) 0xC1); // version_number 0, current_next_indicator 1
    s.put((byte) 0).put((byte) 0); // section_number, last_section_number
    s.putShort((short) (0xE000 | PID_VIDEO)); // PCR_PID
    s.putShort((short) 0xF000); // program_info_length 0
    s.put((byte) STREAM_TYPE_H264).putShort((short) (0xE000 | PID_VIDEO)); // stream_type, PID
    s.putShort((short) 0xF000); // ES_info_length 0
    if (audio) {
      s.put((byte) STREAM_TYPE_AAC_ADTS).putShort((short) (0xE000 | PID_AUDIO));
      s.putShort((short) 0xF000);
    }
    return withCrc(s.array(), s.capacity());
  }

  /** The section followed by its CRC_32 (MPEG-2: polynomial 0x04C11DB7, no reflection). */
  static byte[] withCrc(byte[] section, int length) {
    int crc = 0xFFFFFFFF;
    for (int i = 0; i < length; i++) {
      crc ^= (section[i] & 0xFF) << 24;
      for (int b = 0; b < 8; b++) {
        crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
      }
    }
    byte[] out = Arrays.copyOf(section, length + 4);
    ByteBuffer.wrap(out, length, 4).putInt(crc);
    return out;
  }

  /** 90 kHz ticks of a non-negative nanosecond time, rounded to nearest. */
  private static long ticks(long ns) {
    return ns / NS_PER_SECOND * TICKS_PER_SECOND
        + ((ns % NS_PER_SECOND) * TICKS_PER_SECOND + NS_PER_SECOND / 2) / NS_PER_SECOND;
  }

  /** Splits sections and PES packets into 188-byte transport packets. Not thread-safe. */
  private static final class Packets {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    private final int[] continuity = new int[0x2000];

    void section(int pid, byte[] section) {
      byte[] withPointer = new byte[section.length + 1]; // pointer_field 0
      System.arraycopy(section, 0, withPointer, 1, section.length);
      payload(pid, withPointer, -1, false);
    }

    void pes(int pid, byte[] header, byte[] body, long pcr, boolean randomAccess) {
      byte[] all = new byte[header.length + body.length];
      System.arraycopy(header, 0, all, 0, header.length);
      System.arraycopy(body, 0, all, header.length, body.length);
      payload(pid, all, pcr, randomAccess);
    }

    /** The first packet has payload_unit_start_indicator set and carries PCR / random access. */
    private void payload(int pid, byte[] data, long pcr, boolean randomAccess) {
      int at = 0;
      boolean first = true;
      while (at < data.length) {
        boolean flags = first && (pcr >= 0 || randomAccess);
        int adaptation = flags ? 2 + (pcr >= 0 ? 6 : 0) : 0; // length + flags (+ PCR)
        int room = PACKET_BYTES - 4 - adaptation;
        int take = Math.min(room, data.length - at);
        int stuffing = room - take;
        if (stuffing > 0 && adaptation == 0) {
          adaptation = stuffing; // length byte (+ flags byte + 0xFF stuffing)
          stuffing = 0;
        } else {
          adaptation += stuffing;
        }
        out.write(0x47); // sync_byte
        out.write((first ? 0x40 : 0) | (pid >> 8)); // payload_unit_start_indicator, PID
        out.write(pid & 0xFF);
        out.write((adaptation > 0 ? 0x30 : 0x10) | continuity[pid]); // adaptation_field_control
        continuity[pid] = (continuity[pid] + 1) & 0x0F;
        if (adaptation > 0) {
          writeAdaptation(adaptation, flags && pcr >= 0 ? pcr : -1, flags && randomAccess);
        }
        out.write(data, at, take);
        at += take;
        first = false;
      }
    }

    /** An adaptation field of exactly {@code bytes} bytes, length byte included. */
    private void writeAdaptation(int bytes, long pcr, boolean randomAccess) {
      out.write(bytes - 1); // adaptation_field_length
      if (bytes == 1) {
        return;
      }
      out.write((randomAccess ? 0x40 : 0) | (pcr >= 0 ? 0x10 : 0)); // flags
      int written = 2;
      if (pcr >= 0) {
        long base = pcr & TIMESTAMP_MASK;
        out.write((int) (base >> 25));
        out.write((int) (base >> 17));
        out.write((int) (base >> 9));
        out.write((int) (base >> 1));
        out.write((int) (((base & 1) << 7) | 0x7E)); // base low bit, reserved
        out.write(0); // program_clock_reference_extension
        written += 6;
      }
      for (; written < bytes; written++) {
        out.write(0xFF); // stuffing_byte
      }
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
