package io.framekeep.media.mp4;

import io.framekeep.media.FrameTable;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.TrackInfo;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds frame tables plus matching fragment payloads in memory. Every frame's first four bytes
 * are a unique marker (a counter), so a test can check that a chunk offset points at the frame it
 * should. Not thread-safe.
 */
final class SyntheticClip {
  static final long SCALE_NS = 1_000_000; // 1 ms ticks, the Matroska default
  static final long VIDEO = 1;
  static final long AUDIO = 2;
  static final long METADATA = 3;
  /** avcC of a 320x240 High profile stream (see AvcDecoderConfigTest for the command). */
  static final byte[] AVC_CPD = HexFormat.of().parseHex(
      "0164000dffe10019676400 0dacd94141fb0110000003001000000303c0f1429960010004 68ef8fcbfdf8f800"
          .replace(" ", ""));
  /** AAC LC, 48 kHz, stereo. */
  static final byte[] AAC_CPD = {0x11, (byte) 0x90};
  /** Decode-order presentation offsets (in frames) of a GOP of ten with two B-frames. */
  static final int[] B_FRAME_GOP = {0, 3, 1, 2, 6, 4, 5, 9, 7, 8};
  static final int FRAME_MS = 40;

  final List<FrameTable> tables = new ArrayList<>();
  final List<byte[]> payloads = new ArrayList<>();
  /** Markers of every frame added, per track, in storage order. */
  final List<Integer> videoMarkers = new ArrayList<>();
  final List<Integer> audioMarkers = new ArrayList<>();
  private int nextMarker = 1;
  private FrameTable.Builder table;
  private ByteArrayOutputStream payload;

  static TrackInfo h264(long number, String codecId, byte[] cpd) {
    return new TrackInfo(number, TrackInfo.TYPE_VIDEO, codecId, cpd, FRAME_MS * SCALE_NS, 320, 240,
        0, 0, 0);
  }

  static TrackInfo aac(long number, byte[] cpd) {
    return new TrackInfo(number, TrackInfo.TYPE_AUDIO, "A_AAC", cpd, 0, 0, 0, 48000, 2, 0);
  }

  static TrackInfo metadata(long number) {
    return new TrackInfo(number, 0x11, "S_TEXT/UTF8", new byte[0], 0, 0, 0, 0, 0, 0);
  }

  static MkvHeader header(TrackInfo... tracks) {
    return new MkvHeader(new byte[0], SCALE_NS, List.of(tracks));
  }

  static MkvHeader standardHeader() {
    return header(h264(VIDEO, "V_MPEG4/ISO/AVC", AVC_CPD), aac(AUDIO, AAC_CPD), metadata(METADATA));
  }

  void startFragment(long clusterTimecodeTicks) {
    finishFragment();
    table = new FrameTable.Builder(SCALE_NS, clusterTimecodeTicks);
    payload = new ByteArrayOutputStream();
  }

  /** Appends a frame; returns its marker. */
  int frame(long track, boolean key, int relativeTicks, int size, int durationTicks) {
    int marker = nextMarker++;
    int offset = payload.size();
    ByteBuffer bytes = ByteBuffer.allocate(size);
    bytes.putInt(marker);
    while (bytes.hasRemaining()) {
      bytes.put((byte) (marker * 31 + bytes.position()));
    }
    payload.writeBytes(bytes.array());
    table.add((int) track, key, relativeTicks, offset, size, durationTicks);
    if (track == VIDEO) {
      videoMarkers.add(marker);
    } else if (track == AUDIO) {
      audioMarkers.add(marker);
    }
    return marker;
  }

  /** Adds a zero-length video frame (a producer bug the builder must refuse). */
  void tablesAddEmptyFrameForTest() {
    table.add((int) VIDEO, false, 40, payload.size(), 0, 0);
  }

  ClipSource finish(MkvHeader header) {
    finishFragment();
    return new ClipSource(header, tables);
  }

  private void finishFragment() {
    if (table != null) {
      tables.add(table.build());
      payloads.add(payload.toByteArray());
      table = null;
    }
  }

  /** A reader over the in-memory payloads. */
  ClipWriter.SampleReader reader() {
    return (run, out) -> {
      byte[] bytes = payloads.get(run.fragmentIndex());
      ByteBuffer slice = ByteBuffer.wrap(bytes, (int) run.offsetInFragment(), (int) run.lengthBytes());
      while (slice.hasRemaining()) {
        out.write(slice);
      }
    };
  }

  byte[] write(ClipLayout layout) throws java.io.IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ClipWriter.write(layout, reader(), Channels.newChannel(out));
    return out.toByteArray();
  }

  /**
   * The standard test clip: {@code fragments} GOPs of ten 40 ms frames in B-frame decode order,
   * 48 kHz AAC frames interleaved by time, one metadata frame at the start of each fragment.
   */
  static SyntheticClip bFrameClip(int fragments) {
    SyntheticClip clip = new SyntheticClip();
    long audioFrame = 0;
    for (int f = 0; f < fragments; f++) {
      long clusterMs = (long) f * B_FRAME_GOP.length * FRAME_MS;
      clip.startFragment(clusterMs);
      clip.frame(METADATA, true, 0, 12, 0);
      for (int j = 0; j < B_FRAME_GOP.length; j++) {
        int videoSize = j == 0 ? 900 : 100 + 10 * j;
        clip.frame(VIDEO, j == 0, B_FRAME_GOP[j] * FRAME_MS, videoSize, 0);
        long endMs = clusterMs + (j + 1L) * FRAME_MS;
        while (audioMs(audioFrame) < endMs) {
          clip.frame(AUDIO, true, (int) (audioMs(audioFrame) - clusterMs), 40 + (int) (audioFrame % 7), 0);
          audioFrame++;
        }
      }
    }
    return clip;
  }

  /** Start of AAC frame {@code k} at 48 kHz in whole milliseconds, as a muxer would round it. */
  static long audioMs(long k) {
    return k * 1024 * 1000 / 48000;
  }
}
