package io.framekeep.media.mp4;

import io.framekeep.media.MediaFormatException;
import io.framekeep.media.codec.AvcDecoderConfig;
import io.framekeep.media.codec.CodecIds;
import io.framekeep.media.codec.HevcDecoderConfig;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.TrackInfo;

/**
 * The tracks of a stream as a fragmented MP4 (HLS, DASH) packages them: the same choice and codec
 * checks as GetClip ({@link ClipTracks}, spec §4.5, §4.6), plus the sample entries ready for an
 * init segment and the RFC 6381 codec strings that playlists and manifests declare. A stream
 * without a video track plays as AAC audio alone, which HLS and DASH allow (spec §4.5).
 *
 * @param video the video track, or null for an audio-only stream
 * @param videoEntry its {@code avc1} / {@code hvc1} sample entry, or null
 * @param width picture width in pixels, 0 when unknown
 * @param height picture height in pixels, 0 when unknown
 * @param videoCodecs RFC 6381 codec string, e.g. {@code avc1.64001f}, or null
 * @param audio the audio track, or null
 * @param audioEntry its sample entry, or null
 * @param audioSampleRateHz the audio timescale, or 0
 * @param aacSamplesPerFrame duration of an AAC sample in ticks, or 0 for G.711
 * @param pcmBytesPerFrame for G.711 the bytes of one sample across channels, else 0
 * @param audioCodecs RFC 6381 codec string ({@code mp4a.40.2}, {@code alaw}, {@code ulaw}), or null
 */
public record PlaybackTracks(
    TrackInfo video,
    Box videoEntry,
    int width,
    int height,
    String videoCodecs,
    TrackInfo audio,
    Box audioEntry,
    int audioSampleRateHz,
    int aacSamplesPerFrame,
    int pcmBytesPerFrame,
    String audioCodecs) {

  /**
   * Selects and checks the tracks of a stored header in the GetClip order.
   *
   * @throws MediaFormatException unsupported, missing or invalid codec private data
   */
  public static PlaybackTracks of(MkvHeader header) throws MediaFormatException {
    if (header.tracks().stream().noneMatch(TrackInfo::isVideo)) {
      return audioOnly(header);
    }
    ClipTracks tracks = ClipTracks.select(header);
    VideoCodec.VisualFormat v = tracks.videoFormat();
    String videoCodecs = CodecIds.isH265(tracks.video().codecId())
        ? hevcCodecs(HevcDecoderConfig.parse(v.config()))
        : avcCodecs(AvcDecoderConfig.parse(v.config()));
    if (!tracks.hasAudio()) {
      return new PlaybackTracks(tracks.video(), Mp4Boxes.videoSampleEntry(v), v.width(),
          v.height(), videoCodecs, null, null, 0, 0, 0, null);
    }
    AudioCodec.AudioFormat a = tracks.audioFormat();
    Box audioEntry = a.isPcm() ? Mp4Boxes.audioSampleEntry(a, null) : Mp4Boxes.mp4a(a, 0, 0);
    String audioCodecs = a.isPcm() ? a.sampleEntryType()
        : "mp4a.40." + (tracks.audio().codecPrivate()[0] >> 3 & 0x1F);
    return new PlaybackTracks(tracks.video(), Mp4Boxes.videoSampleEntry(v), v.width(), v.height(),
        videoCodecs, tracks.audio(), audioEntry, a.sampleRateHz(), a.samplesPerFrame(),
        a.bytesPerPcmFrame(), audioCodecs);
  }

  /** The first audio track alone, which must be AAC with its AudioSpecificConfig. */
  private static PlaybackTracks audioOnly(MkvHeader header) throws MediaFormatException {
    TrackInfo audio = header.tracks().stream().filter(TrackInfo::isAudio).findFirst()
        .orElseThrow(() -> MediaFormatException.unsupported("the stream has no video or audio"
            + " track"));
    if (!CodecIds.isAac(audio.codecId())) {
      throw MediaFormatException.unsupported("streams without video play AAC audio only; track "
          + audio.trackNumber() + " is " + audio.codecId());
    }
    if (!audio.hasCodecPrivate()) {
      throw MediaFormatException.missingCodecPrivateData(
          "track " + audio.trackNumber() + " (" + audio.codecId() + ") has no codec private data");
    }
    AudioCodec.AudioFormat a = AudioCodec.AAC.describe(audio);
    return new PlaybackTracks(null, null, 0, 0, null, audio, Mp4Boxes.mp4a(a, 0, 0),
        a.sampleRateHz(), a.samplesPerFrame(), 0,
        "mp4a.40." + (audio.codecPrivate()[0] >> 3 & 0x1F));
  }

  public boolean hasVideo() {
    return video != null;
  }

  public boolean hasAudio() {
    return audio != null;
  }

  /** Whether the audio track is G.711 (A-law or µ-law), which HLS does not carry. */
  public boolean hasG711Audio() {
    return audio != null && pcmBytesPerFrame > 0;
  }

  /** Codec strings of all tracks, comma separated, as HLS CODECS and DASH codecs want them. */
  public String codecs() {
    if (videoCodecs == null) {
      return audioCodecs;
    }
    return audioCodecs == null ? videoCodecs : videoCodecs + "," + audioCodecs;
  }

  /** {@code avc1.PPCCLL}: profile_idc, constraint flags and level_idc in hex (RFC 6381 §3.3). */
  private static String avcCodecs(AvcDecoderConfig c) {
    return String.format("avc1.%02x%02x%02x", c.profileIdc(), c.profileCompatibility(),
        c.levelIdc());
  }

  /** {@code hvc1.P.C.TL.B0} in the short form ISO/IEC 14496-15 Annex E allows. */
  private static String hevcCodecs(HevcDecoderConfig c) {
    String space = switch (c.generalProfileSpace()) {
      case 1 -> "A";
      case 2 -> "B";
      case 3 -> "C";
      default -> "";
    };
    // general_profile_compatibility_flags, bit-reversed, in hex (byte 2..5 of the hvcC).
    byte[] raw = c.raw();
    int flags = raw.length >= 6 ? ((raw[2] & 0xFF) << 24 | (raw[3] & 0xFF) << 16
        | (raw[4] & 0xFF) << 8 | (raw[5] & 0xFF)) : 0;
    return "hvc1." + space + c.generalProfileIdc() + "."
        + Integer.toHexString(Integer.reverse(flags)) + "."
        + (c.generalTierFlag() ? "H" : "L") + c.generalLevelIdc() + ".B0";
  }
}
