package io.framekeep.server.archive;

import io.framekeep.media.MediaFormatException;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.api.FragmentNumbers;
import io.framekeep.server.StoredHeaders;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import java.io.IOException;
import io.framekeep.media.mp4.ProgressiveMp4Builder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The MKV header (tracks, codec private data) that every fragment of a clip must share. Fragments
 * from different PutMedia sessions have different stored headers; they may be combined only when
 * their tracks agree. A changed track set is UnsupportedStreamMediaTypeException and changed codec
 * private data InvalidCodecPrivateDataException, each naming the fragment (spec §3.1). Parsed
 * headers are cached by id (they are immutable once stored). Thread-safe.
 */
final class ClipHeaders {
  private final StoredHeaders headers;

  ClipHeaders(FragmentLog fragments) {
    this.headers = new StoredHeaders(fragments);
  }

  /**
   * The header of the clip's first fragment, after checking every distinct header of the clip in
   * the order of spec §4.6: track sets (and codec IDs) that differ or are unsupported, then codec
   * private data missing anywhere, then codec private data that does not parse or differs.
   */
  MkvHeader commonHeader(List<FragmentRecord> clip) throws IOException, MediaFormatException {
    MkvHeader first = header(clip.get(0).headerId());
    Map<Long, FragmentRecord> others = new LinkedHashMap<>();
    for (FragmentRecord f : clip) {
      if (f.headerId() != clip.get(0).headerId()) {
        others.putIfAbsent(f.headerId(), f);
      }
    }
    for (FragmentRecord f : others.values()) {
      if (!first.sameTrackSet(header(f.headerId()))) {
        throw MediaFormatException.unsupported("The tracks of fragment " + number(f)
            + " differ from those of the clip's first fragment.");
      }
    }
    MediaFormatException worst = check(first, null);
    for (FragmentRecord f : others.values()) {
      MediaFormatException e = check(header(f.headerId()), f);
      if (e != null && (worst == null || rank(e) < rank(worst))) {
        worst = e;
      }
    }
    if (worst != null) {
      throw worst;
    }
    for (FragmentRecord f : others.values()) {
      if (!first.sameCodecPrivateData(header(f.headerId()))) {
        throw MediaFormatException.invalidCodecPrivateData("The codec private data of fragment "
            + number(f) + " differs from that of the clip's first fragment.");
      }
    }
    return first;
  }

  /** The header's own codec problem, or null; named after the fragment when not the first. */
  private static MediaFormatException check(MkvHeader header, FragmentRecord fragment) {
    try {
      ProgressiveMp4Builder.checkTracks(header);
      return null;
    } catch (MediaFormatException e) {
      if (fragment == null) {
        return e;
      }
      String message = "fragment " + number(fragment) + ": " + e.getMessage();
      return switch (e.kind()) {
        case MISSING_CODEC_PRIVATE_DATA -> MediaFormatException.missingCodecPrivateData(message);
        case INVALID_CODEC_PRIVATE_DATA -> MediaFormatException.invalidCodecPrivateData(message);
        default -> MediaFormatException.unsupported(message);
      };
    }
  }

  /** §4.6 precedence: unsupported, then missing, then invalid codec private data. */
  private static int rank(MediaFormatException e) {
    return switch (e.kind()) {
      case UNSUPPORTED -> 0;
      case MISSING_CODEC_PRIVATE_DATA -> 1;
      case INVALID_CODEC_PRIVATE_DATA -> 2;
      default -> 3;
    };
  }

  private static String number(FragmentRecord f) {
    return FragmentNumbers.format(f.sequence());
  }

  private MkvHeader header(long headerId) throws IOException, MediaFormatException {
    return headers.get(headerId);
  }
}
