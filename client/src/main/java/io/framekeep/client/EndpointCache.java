package io.framekeep.client;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Data endpoints from GetDataEndpoint, cached per (stream, API name). An entry lives
 * {@link #DEFAULT_TTL} and is dropped at once when a call through it fails with a transport error
 * or {@code InvalidEndpointException}, so the next call asks again (the KVS quota notes advise
 * exactly this).
 *
 * <p>Thread-safe; two threads missing the same key at once may both look it up.
 */
final class EndpointCache {
  /** KVS guidance: refresh cached data endpoints about every 45 minutes. */
  static final Duration DEFAULT_TTL = Duration.ofMinutes(45);

  /** A stream is named by exactly one of name or ARN. */
  record Key(String streamName, String streamArn, String apiName) {
    Key {
      Objects.requireNonNull(apiName, "apiName");
    }
  }

  private record Entry(URI endpoint, Instant expiresAt) {}

  private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
  private final Function<Key, URI> lookup;
  private final Clock clock;
  private final Duration ttl;

  /** @param lookup calls GetDataEndpoint for a key */
  EndpointCache(Function<Key, URI> lookup, Clock clock, Duration ttl) {
    this.lookup = lookup;
    this.clock = clock;
    this.ttl = ttl;
  }

  URI get(Key key) {
    Instant now = clock.instant();
    Entry e = entries.get(key);
    if (e != null && now.isBefore(e.expiresAt())) {
      return e.endpoint();
    }
    URI endpoint = lookup.apply(key);
    entries.put(key, new Entry(endpoint, now.plus(ttl)));
    return endpoint;
  }

  void invalidate(Key key) {
    entries.remove(key);
  }

  int size() {
    return entries.size();
  }
}
