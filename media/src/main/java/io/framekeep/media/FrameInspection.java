package io.framekeep.media;

import io.framekeep.media.codec.AvcDecoderConfig;
import io.framekeep.media.codec.CodecIds;
import io.framekeep.media.codec.HevcDecoderConfig;
import io.framekeep.media.codec.NalFrameInspector;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.TrackInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Sets the {@link FrameTable#FLAG_ANNEX_B} and {@link FrameTable#FLAG_INVALID} flags of a
 * fragment's H.264 and H.265 frames, once, at ingest, so that GetClip can lay out a clip from the
 * frame tables alone and still refuse unparsable frames (InvalidMediaFrameException) and convert
 * Annex-B frames (KVS spec §4.4, §4.6).
 *
 * <p>Each frame of a track whose codec ID is H.264 or H.265 is read once through {@link
 * FrameBytes} and classified by {@link NalFrameInspector} with the NAL length size of the track's
 * codec private data. Tracks of other codecs, and H.264/H.265 tracks whose codec private data is
 * absent or does not parse (GetClip refuses those before looking at frames), keep their flags.
 * Ingest itself never fails because of what is found: KVS accepts any frame at PutMedia.
 *
 * <p>Stateless and thread-safe; reads each inspected frame exactly once, in table order.
 */
public final class FrameInspection {
  private FrameInspection() {}

  /**
   * Returns {@code table} with the ANNEX_B / INVALID flags of its H.264 and H.265 frames set from
   * their bytes (earlier values of those two flags are replaced); every other field is unchanged.
   * Returns {@code table} itself when the header has no inspectable track.
   *
   * @param header the MKV header the fragment was ingested with
   * @param table the fragment's frame table as the ingest parser built it
   * @param source the fragment's payload bytes
   * @throws IOException from {@code source}, or when it returns a buffer of the wrong size
   */
  public static FrameTable inspect(MkvHeader header, FrameTable table, FrameBytes source)
      throws IOException {
    Map<Integer, Integer> nalLengthSizes = nalLengthSizes(header);
    if (nalLengthSizes.isEmpty()) {
      return table;
    }
    FrameTable.Builder out = new FrameTable.Builder(table.timecodeScaleNs(),
        table.clusterTimecodeTicks());
    for (int i = 0; i < table.size(); i++) {
      int flags = table.flags(i) & FrameTable.FLAG_KEY_FRAME;
      int converted = 0;
      Integer nalLengthSize = nalLengthSizes.get(table.trackNumber(i));
      if (nalLengthSize != null) {
        NalFrameInspector.Verdict verdict = verdict(table, i, source, nalLengthSize);
        if (verdict.kind() == NalFrameInspector.Kind.ANNEX_B) {
          flags |= FrameTable.FLAG_ANNEX_B;
          converted = verdict.convertedSize();
        } else if (verdict.kind() == NalFrameInspector.Kind.INVALID) {
          flags |= FrameTable.FLAG_INVALID;
        }
      } else {
        flags = table.flags(i);
        converted = table.convertedSize(i);
      }
      out.add(table.trackNumber(i), flags, table.relativeTimeTicks(i), table.offset(i),
          table.frameSize(i), table.durationTicks(i), converted);
    }
    return out.build();
  }

  private static NalFrameInspector.Verdict verdict(FrameTable table, int i, FrameBytes source,
      int nalLengthSize) throws IOException {
    int size = table.frameSize(i);
    if (size == 0) {
      return NalFrameInspector.inspect(ByteBuffer.allocate(0), nalLengthSize);
    }
    ByteBuffer frame = source.read(table.offset(i), size);
    if (frame == null || frame.remaining() != size) {
      throw new IOException("fragment bytes at offset " + table.offset(i) + ": expected " + size
          + " bytes, got " + (frame == null ? "none" : frame.remaining()));
    }
    return NalFrameInspector.inspect(frame, nalLengthSize);
  }

  /** NAL length size per track number, for the H.264 / H.265 tracks with usable codec private data. */
  private static Map<Integer, Integer> nalLengthSizes(MkvHeader header) {
    Map<Integer, Integer> out = new HashMap<>();
    for (TrackInfo track : header.tracks()) {
      if (track.trackNumber() > Integer.MAX_VALUE) {
        continue; // frame tables hold int track numbers; such a track has no frames to inspect
      }
      try {
        if (CodecIds.isH264(track.codecId())) {
          out.put((int) track.trackNumber(),
              AvcDecoderConfig.parse(track.codecPrivate()).nalLengthSize());
        } else if (CodecIds.isH265(track.codecId())) {
          out.put((int) track.trackNumber(),
              HevcDecoderConfig.parse(track.codecPrivate()).nalLengthSize());
        }
      } catch (MediaFormatException e) {
        // No usable codec private data: GetClip reports that first, so the frames stay unflagged.
      }
    }
    return out;
  }
}
