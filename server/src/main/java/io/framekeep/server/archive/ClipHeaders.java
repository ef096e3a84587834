package io.framekeep.server.archive;

import io.framekeep.media.MediaFormatException;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.MkvIngestParser;
import io.framekeep.media.mkv.TrackInfo;
import io.framekeep.api.FragmentNumbers;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MKV header (tracks, codec private data) that every fragment of a clip must share. Fragments
 * from different PutMedia sessions have different stored headers; they may be combined only when
 * their tracks agree. A changed track set is UnsupportedStreamMediaTypeException and changed codec
 * private data InvalidCodecPrivateDataException, each naming the fragment (spec §3.1). Parsed
 * headers are cached by id (they are immutable once stored). Thread-safe.
 */
final class ClipHeaders {
  /** Distinct PutMedia sessions whose parsed header is kept; each is a few KB. */
  private static final int MAX_CACHED = 1024;

  private final FragmentLog fragments;
  private final Map<Long, MkvHeader> cache = new ConcurrentHashMap<>();

  ClipHeaders(FragmentLog fragments) {
    this.fragments = fragments;
  }

  MkvHeader commonHeader(List<FragmentRecord> clip) throws IOException, MediaFormatException {
    MkvHeader first = header(clip.get(0).headerId());
    for (FragmentRecord f : clip) {
      if (f.headerId() == clip.get(0).headerId()) {
        continue;
      }
      MkvHeader other = header(f.headerId());
      String number = FragmentNumbers.format(f.sequence());
      if (!sameTrackSet(first, other)) {
        throw MediaFormatException.unsupported("The tracks of fragment " + number
            + " differ from those of the clip's first fragment.");
      }
      if (!sameCodecPrivate(first, other)) {
        throw MediaFormatException.invalidCodecPrivateData("The codec private data of fragment "
            + number + " differs from that of the clip's first fragment.");
      }
    }
    return first;
  }

  private MkvHeader header(long headerId) throws IOException, MediaFormatException {
    MkvHeader cached = cache.get(headerId);
    if (cached != null) {
      return cached;
    }
    MkvHeader parsed = MkvIngestParser.parseHeader(fragments.header(headerId));
    if (cache.size() >= MAX_CACHED) {
      cache.clear();
    }
    cache.put(headerId, parsed);
    return parsed;
  }

  private static boolean sameTrackSet(MkvHeader a, MkvHeader b) {
    if (a.tracks().size() != b.tracks().size()) {
      return false;
    }
    for (int i = 0; i < a.tracks().size(); i++) {
      TrackInfo x = a.tracks().get(i);
      TrackInfo y = b.tracks().get(i);
      if (x.trackNumber() != y.trackNumber() || x.trackType() != y.trackType()
          || !x.codecId().equals(y.codecId())) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameCodecPrivate(MkvHeader a, MkvHeader b) {
    for (int i = 0; i < a.tracks().size(); i++) {
      if (!Arrays.equals(a.tracks().get(i).codecPrivate(), b.tracks().get(i).codecPrivate())) {
        return false;
      }
    }
    return true;
  }
}
