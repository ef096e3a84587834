package io.framekeep.server.images;

import io.framekeep.server.StoredHeaders;

import io.framekeep.images.CodedFrame;
import io.framekeep.images.ImageException;
import io.framekeep.images.ImageOptions;
import io.framekeep.images.StillExtractor;
import io.framekeep.images.VideoCodec;
import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.codec.AnnexB;
import io.framekeep.media.codec.CodecIds;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.TrackInfo;
import io.framekeep.storage.ByteRange;
import io.framekeep.storage.ByteSource;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.TimeOrigin;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Stills of one stored fragment at given instants: reads the fragment's first track (which
 * GetImages requires to be H.264 or H.265 video, spec §4.5) from its key frame, in decode order,
 * only as far as the last frame needed, and hands the frames to {@link StillExtractor}.
 *
 * <p>An instant maps to the frame table's time line by its offset from the fragment's start
 * timestamp of the chosen origin: the fragment start is its cluster timecode. Any problem with the
 * stored media (not video, unsupported codec, no key frame, frames that do not decode) is a
 * {@link MediaException}, reported per image as MEDIA_ERROR; I/O failures propagate. Parsed headers
 * are cached by id (immutable once stored). Thread-safe.
 */
final class FragmentStills {
  private static final long NS_PER_MS = 1_000_000L;

  /** The stored media cannot give a still; the message says why. */
  static final class MediaException extends Exception {
    private static final long serialVersionUID = 1L;

    MediaException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final FragmentLog fragments;
  private final StoredHeaders headers;

  FragmentStills(FragmentLog fragments) {
    this.fragments = fragments;
    this.headers = new StoredHeaders(fragments);
  }

  /** One encoded image per instant, in order. */
  List<byte[]> render(FragmentRecord fragment, TimeOrigin origin, List<Long> instantsMs,
      ImageOptions options) throws IOException, MediaException {
    TrackInfo track = firstTrack(fragment);
    VideoCodec codec = codecOf(track);
    FrameTable table;
    try {
      table = FrameTable.decode(fragment.frameTable());
    } catch (MediaFormatException e) {
      throw new MediaException("the fragment's frame table does not parse", e);
    }
    List<Integer> video = videoFramesFromKeyFrame(table, track.trackNumber());
    List<CodedFrame> timing = new ArrayList<>(video.size());
    for (int i : video) {
      timing.add(new CodedFrame(null, table.timeNs(i)));
    }
    long clusterStartNs = table.clusterTimecodeTicks() * table.timecodeScaleNs();
    long[] targetsNs = new long[instantsMs.size()];
    int lastNeeded = 0;
    for (int t = 0; t < targetsNs.length; t++) {
      targetsNs[t] = clusterStartNs
          + (instantsMs.get(t) - fragment.timestampMs(origin)) * NS_PER_MS;
      lastNeeded = Math.max(lastNeeded, StillExtractor.frameShownAt(timing, targetsNs[t]));
    }
    List<CodedFrame> frames = read(fragment, table, video.subList(0, lastNeeded + 1));
    try {
      return StillExtractor.render(codec, track.codecPrivate(), frames, targetsNs, options);
    } catch (ImageException e) {
      throw new MediaException(e.getMessage(), e);
    }
  }

  private TrackInfo firstTrack(FragmentRecord fragment) throws IOException, MediaException {
    MkvHeader header;
    try {
      header = headers.get(fragment.headerId());
    } catch (MediaFormatException e) {
      throw new MediaException("the stored header does not parse", e);
    }
    if (header.tracks().isEmpty()) {
      throw new MediaException("the fragment has no tracks", null);
    }
    return header.tracks().get(0);
  }

  private static VideoCodec codecOf(TrackInfo track) throws MediaException {
    if (!track.isVideo()) {
      throw new MediaException("track 1 is not video", null);
    }
    if (!track.hasCodecPrivate()) {
      throw new MediaException("track 1 has no codec private data", null);
    }
    if (CodecIds.isH264(track.codecId())) {
      return VideoCodec.H264;
    }
    if (CodecIds.isH265(track.codecId())) {
      return VideoCodec.H265;
    }
    throw new MediaException("codec " + track.codecId() + " is not H.264 or H.265", null);
  }

  /** Indices of the track's frames from its first key frame on, in decode (stored) order. */
  private static List<Integer> videoFramesFromKeyFrame(FrameTable table, long trackNumber)
      throws MediaException {
    List<Integer> video = new ArrayList<>();
    for (int i = 0; i < table.size(); i++) {
      if (table.trackNumber(i) == trackNumber && (!video.isEmpty() || table.isKeyFrame(i))) {
        video.add(i);
      }
    }
    if (video.isEmpty()) {
      throw new MediaException("the fragment has no video key frame", null);
    }
    if (video.size() > StillExtractor.MAX_FRAMES) {
      throw new MediaException("the fragment has more than " + StillExtractor.MAX_FRAMES
          + " video frames", null);
    }
    return video;
  }

  /**
   * The frames' bytes from storage, Annex-B frames rewritten to 4-byte length prefixes
   * (what the codec private data declares for stored H.264/H.265, spec §4.3). Frame sizes come
   * from the frame table and are checked against the fragment's length before allocation.
   */
  private List<CodedFrame> read(FragmentRecord fragment, FrameTable table, List<Integer> indices)
      throws IOException, MediaException {
    List<CodedFrame> frames = new ArrayList<>(indices.size());
    try (ByteSource payload = fragments.open(ByteRange.whole(fragment))) {
      for (int i : indices) {
        long end = (long) table.offset(i) + table.frameSize(i);
        if (end > fragment.lengthBytes()) {
          throw new MediaException("a frame lies outside its fragment", null);
        }
        ByteBuffer raw = ByteBuffer.allocate(table.frameSize(i));
        payload.read(table.offset(i), raw);
        raw.flip();
        frames.add(new CodedFrame(table.isAnnexB(i) ? lengthPrefixed(raw, table.convertedSize(i))
            : raw.array(), table.timeNs(i)));
      }
    }
    return frames;
  }

  private static byte[] lengthPrefixed(ByteBuffer annexB, int convertedSize)
      throws MediaException {
    ByteBuffer out = ByteBuffer.allocate(convertedSize);
    try {
      AnnexB.toLengthPrefixed(annexB, out);
    } catch (MediaFormatException e) {
      throw new MediaException("an Annex-B frame does not convert", e);
    }
    return out.array();
  }
}
