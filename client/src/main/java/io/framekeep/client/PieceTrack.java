package io.framekeep.client;

/**
 * One track of a GetClip piece with its sample table expanded to per-sample arrays, plus the boxes
 * the joined file copies unchanged ({@code hdlr}, {@code vmhd}/{@code smhd}, {@code dinf},
 * {@code stsd}, as whole boxes with headers). Immutable after reading.
 *
 * @param trackId tkhd track_ID
 * @param handlerType hdlr handler_type, e.g. "vide", "soun"
 * @param timescale mdhd timescale (ticks per second)
 * @param language mdhd packed ISO-639-2/T language
 * @param widthFixed tkhd width, 16.16 fixed point
 * @param heightFixed tkhd height, 16.16 fixed point
 * @param volumeFixed tkhd volume, 8.8 fixed point
 * @param sampleSizes stsz, one per sample
 * @param sampleDeltas stts expanded: decode duration of each sample in timescale ticks
 * @param compositionOffsets ctts expanded, or null when the piece has no ctts
 * @param syncSamples stss (1-based sample numbers), or null when every sample is a sync sample
 * @param chunkOffsets stco/co64: file offset of each chunk
 * @param samplesPerChunk stsc expanded: sample count of each chunk
 * @param emptyEditMovieTicks duration of leading empty edits, in the movie timescale
 * @param mediaTime media_time of the first non-empty edit (0 without an edit list)
 * @param movieTimescale mvhd timescale of the piece, the unit of the edit durations
 */
record PieceTrack(int trackId, String handlerType, long timescale, int language,
    long widthFixed, long heightFixed, int volumeFixed,
    byte[] hdlrBox, byte[] mediaHeaderBox, byte[] dinfBox, byte[] stsdBox,
    int[] sampleSizes, long[] sampleDeltas, int[] compositionOffsets, long[] syncSamples,
    long[] chunkOffsets, int[] samplesPerChunk, long emptyEditMovieTicks, long mediaTime,
    long movieTimescale) {

  int sampleCount() {
    return sampleSizes.length;
  }

  /** Sum of the decode durations: the track's media duration in its timescale. */
  long mediaDuration() {
    long total = 0;
    for (long d : sampleDeltas) {
      total += d;
    }
    return total;
  }

  boolean isVideo() {
    return "vide".equals(handlerType);
  }
}
