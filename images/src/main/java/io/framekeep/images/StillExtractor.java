package io.framekeep.images;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Makes still images of a coded video sequence at given instants.
 *
 * <p>Input: the codec, its codec private data, and the frames of one sequence in decode order
 * starting with a key frame (what a KVS fragment holds for its video track), each with its
 * presentation time. For each target instant the frame shown at that instant is chosen: the one
 * with the latest presentation time at or before it, or the earliest frame when the target comes
 * before all of them. Frames are decoded from the key frame up to the last chosen one in decode
 * order, then the decoder is drained, so every chosen picture comes out and no target is skipped.
 * Each chosen picture is scaled per {@link ImageOptions} and encoded as JPEG or PNG.
 *
 * <p>The work happens on the calling thread (FFmpeg runs single-threaded). Knows nothing about
 * storage or HTTP. Stateless and thread-safe; native memory is freed before each call returns.
 */
public final class StillExtractor {
  /**
   * Most frames decoded for one call: a KVS fragment lasts at most 20 s, and 4096 frames is 20 s
   * at 200 frames per second. Checked before anything is decoded.
   */
  public static final int MAX_FRAMES = 4096;
  /** Most targets per call: GetImages returns at most 100 images per request. */
  public static final int MAX_TARGETS = 100;

  private StillExtractor() {}

  /**
   * One encoded image per target, in the order of {@code targetsNs}.
   *
   * @throws ImageException when the codec is unavailable or the frames do not decode; no partial
   *     result is returned
   */
  public static List<byte[]> render(VideoCodec codec, byte[] codecPrivate,
      List<CodedFrame> frames, long[] targetsNs, ImageOptions options) throws ImageException {
    if (frames.isEmpty()) {
      throw ImageException.undecodable("there are no video frames to decode");
    }
    if (frames.size() > MAX_FRAMES || targetsNs.length > MAX_TARGETS) {
      throw new IllegalArgumentException("too much work for one call: " + frames.size()
          + " frames, " + targetsNs.length + " targets");
    }
    int[] chosen = new int[targetsNs.length];
    int lastNeeded = 0;
    for (int t = 0; t < targetsNs.length; t++) {
      chosen[t] = frameShownAt(frames, targetsNs[t]);
      lastNeeded = Math.max(lastNeeded, chosen[t]);
    }
    byte[][] encodedByFrame = new byte[lastNeeded + 1][];
    boolean[] wanted = new boolean[lastNeeded + 1];
    for (int index : chosen) {
      wanted[index] = true;
    }
    try (FfmpegDecoder decoder = FfmpegDecoder.open(codec, codecPrivate)) {
      for (int i = 0; i <= lastNeeded; i++) {
        decoder.send(frames.get(i).data(), i);
        collect(decoder, wanted, encodedByFrame, options);
      }
      decoder.flush();
      collect(decoder, wanted, encodedByFrame, options);
    }
    List<byte[]> images = new ArrayList<>(targetsNs.length);
    for (int t = 0; t < targetsNs.length; t++) {
      byte[] image = encodedByFrame[chosen[t]];
      if (image == null) {
        throw ImageException.undecodable("frame " + chosen[t] + " (presentation time "
            + frames.get(chosen[t]).presentationTimeNs() + " ns) produced no picture");
      }
      images.add(image);
    }
    return images;
  }

  /**
   * Index of the frame on screen at {@code targetNs}: the latest presentation time at or before
   * it (the first such frame in decode order on ties), else the earliest presentation time.
   */
  public static int frameShownAt(List<CodedFrame> frames, long targetNs) {
    int best = -1;
    int earliest = 0;
    for (int i = 0; i < frames.size(); i++) {
      long pts = frames.get(i).presentationTimeNs();
      if (pts <= targetNs && (best < 0 || pts > frames.get(best).presentationTimeNs())) {
        best = i;
      }
      if (pts < frames.get(earliest).presentationTimeNs()) {
        earliest = i;
      }
    }
    return best >= 0 ? best : earliest;
  }

  private static void collect(FfmpegDecoder decoder, boolean[] wanted, byte[][] encodedByFrame,
      ImageOptions options) throws ImageException {
    AVFrame picture;
    while ((picture = decoder.receive()) != null) {
      long index = picture.pts();
      if (index >= 0 && index < wanted.length && wanted[(int) index]
          && encodedByFrame[(int) index] == null) {
        encodedByFrame[(int) index] = ImageEncoder.encode(
            PictureConverter.toImage(picture, options), options);
      }
    }
  }
}
