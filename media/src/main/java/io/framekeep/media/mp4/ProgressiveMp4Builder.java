package io.framekeep.media.mp4;

import io.framekeep.media.MediaFormatException;
import io.framekeep.media.mkv.MkvHeader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes a progressive ("traditional") MP4 clip — {@code ftyp}, {@code moov}, {@code mdat} —
 * from the fragments' frame tables alone, for GetClip.
 *
 * <p>The result is a {@link ClipLayout}: the header bytes, which are sent first, and the list of
 * fragment byte ranges that form the {@code mdat} payload, which the server streams straight from
 * storage. No media byte is read here, so memory and time to first byte depend on the number of
 * samples, not on their size.
 *
 * <p>File layout: {@code ftyp} (isom; isom, iso2, avc1, mp41), {@code moov} with a video {@code
 * trak} (track 1) and an optional audio {@code trak} (track 2), then {@code mdat}. Samples keep
 * storage order; consecutive samples of one track whose bytes touch form a chunk. Chunk offsets use
 * {@code stco} when they all fit 32 bits, else {@code co64}; the {@code mdat} uses the 64-bit
 * largesize when its payload needs it.
 *
 * <p>Stateless and thread-safe.
 */
public final class ProgressiveMp4Builder {
  /**
   * Most samples per track in one clip. Each sample costs at most 44 bytes of {@code moov} (stsz 4,
   * stts 8, ctts 8, stss 4, stsc 12, co64 8), so two full tracks stay below 1.5 GB, inside one
   * {@link ByteBuffer}; it is still far above a GetClip clip (200 fragments / 100 MB).
   */
  public static final int MAX_SAMPLES_PER_TRACK = 1 << 24;

  static final int VIDEO_TRACK_ID = 1;
  static final int AUDIO_TRACK_ID = 2;
  private static final long U32_MAX = 0xFFFF_FFFFL;

  private ProgressiveMp4Builder() {}

  /**
   * Validates codecs in the KVS GetClip order and computes the whole file layout; reads no media
   * bytes.
   *
   * @throws MediaFormatException unsupported (codec or track layout), missing or invalid codec
   *     private data, invalid media frame (no key frame, empty frame), malformed (time overflow)
   */
  public static ClipLayout build(ClipSource source) throws MediaFormatException {
    ClipTracks tracks = ClipTracks.select(source.header());
    SampleCollector samples = SampleCollector.collect(source.fragments(),
        tracks.video().trackNumber(), tracks.hasAudio() ? tracks.audio().trackNumber() : -1,
        MAX_SAMPLES_PER_TRACK, source::describe,
        ClipTimeline.offsetsNs(source.fragments(), source.producerTimestampsMs()));
    long firstShownNs = minimum(samples.video.timesNs);
    ClipSource.Trim trim = source.trim();
    // Time zero of the movie: the first presented video frame, or the trim start within the clip.
    long originNs = trim == null ? firstShownNs : Math.max(firstShownNs, trim.startNs());
    long endNs = trim == null ? Long.MAX_VALUE : trim.endNs();
    List<TrackTable> tables = new ArrayList<>(2);
    tables.add(TrackTable.video(VIDEO_TRACK_ID, samples.video, originNs, endNs,
        tracks.video().defaultDurationNs(), tracks.videoFormat()));
    if (samples.audio != null && samples.audio.count() > 0) {
      tables.add(TrackTable.audio(AUDIO_TRACK_ID, samples.audio, originNs, endNs,
          tracks.audioFormat()));
    }
    return layout(tables, samples.runs, samples.payloadBytes);
  }

  /**
   * The GetClip codec checks for one header alone, in the documented order: unsupported codec IDs
   * or track layout, then missing, then invalid codec private data.
   *
   * @throws MediaFormatException of kind UNSUPPORTED, MISSING_CODEC_PRIVATE_DATA or
   *     INVALID_CODEC_PRIVATE_DATA
   */
  public static void checkTracks(MkvHeader header) throws MediaFormatException {
    ClipTracks.select(header);
  }

  /** Sizes ftyp + moov + mdat header, picks stco or co64, and writes the prefix once. */
  private static ClipLayout layout(List<TrackTable> tables, List<SampleRun> runs, long payloadBytes)
      throws MediaFormatException {
    Box ftyp = Mp4Boxes.ftyp();
    int mdatHeader = Mp4Boxes.mdatHeaderSize(payloadBytes);
    long lastChunkOffset = 0;
    for (TrackTable t : tables) {
      long[] offsets = t.chunkPayloadOffsets;
      lastChunkOffset = Math.max(lastChunkOffset, offsets[offsets.length - 1]);
    }
    boolean co64 = false;
    long dataStart = ftyp.size() + Mp4Boxes.moov(tables, 0, false).size() + mdatHeader;
    if (dataStart + lastChunkOffset > U32_MAX) {
      co64 = true;
      dataStart = ftyp.size() + Mp4Boxes.moov(tables, 0, true).size() + mdatHeader;
    }
    Box moov = Mp4Boxes.moov(tables, dataStart, co64);
    if (dataStart > Integer.MAX_VALUE) {
      throw MediaFormatException.unsupported(
          "clip header would be " + dataStart + " bytes, over " + Integer.MAX_VALUE);
    }
    ByteBuffer prefix = ByteBuffer.allocate((int) dataStart);
    ftyp.write(prefix);
    moov.write(prefix);
    Mp4Boxes.mdatHeader(prefix, payloadBytes);
    if (prefix.hasRemaining()) {
      throw new IllegalStateException("prefix sized " + dataStart + " but wrote " + prefix.position());
    }
    prefix.flip();
    return new ClipLayout(prefix.asReadOnlyBuffer(), runs, dataStart + payloadBytes);
  }

  private static long minimum(LongArray values) {
    long min = Long.MAX_VALUE;
    for (int i = 0; i < values.size(); i++) {
      min = Math.min(min, values.get(i));
    }
    return min;
  }
}
