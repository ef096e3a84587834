package io.framekeep.server;

import io.framekeep.media.MediaFormatException;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.MkvIngestParser;
import io.framekeep.storage.FragmentLog;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parsed MKV header (tracks, codec private data) of a PutMedia session, by its stored id.
 * Headers never change once stored, so parsed ones are cached, up to {@link #MAX_CACHED}.
 * Thread-safe.
 */
public final class StoredHeaders {
  /** Distinct PutMedia sessions whose parsed header is kept; each is a few KB. */
  static final int MAX_CACHED = 1024;

  private final FragmentLog fragments;
  private final Map<Long, MkvHeader> cache = new ConcurrentHashMap<>();

  public StoredHeaders(FragmentLog fragments) {
    this.fragments = fragments;
  }

  public MkvHeader get(long headerId) throws IOException, MediaFormatException {
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
}
