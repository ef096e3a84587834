package io.framekeep.server.warmup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * What one warm-up thread does against the scratch server, on a stream of its own: uploads, then
 * read rounds. Every request is one a client makes (signed PutMedia in HTTP chunks; DescribeStream,
 * ListFragments, GetClip, GetMedia, an HLS session with its playlists, init section and a media
 * segment), and each answer is checked, so a broken path fails the warm-up rather than warming
 * nothing. Stateless; each call uses its own client.
 */
final class WarmUpWorkload {
  /** Producer timestamps of the uploads start here (2023-11-14), one media length apart. */
  static final long PRODUCER_BASE_MS = 1_700_000_000_000L;
  /** Producers send HTTP chunks of about this size (the KVS producer SDK's buffers). */
  static final int PIECE_BYTES = 32 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final WarmUpMedia media;

  WarmUpWorkload(WarmUpMedia media) {
    this.media = media;
  }

  /**
   * Creates {@code stream} and uploads the media {@code uploads} times, each a PutMedia of its own
   * continuing the producer timeline; returns the uploads done before {@code stop} said to stop.
   */
  int upload(WarmUpClient client, String stream, int uploads, BooleanSupplier stop)
      throws IOException {
    client.post("/createStream", "{\"StreamName\":\"" + stream + "\",\"DataRetentionInHours\":1}");
    int done = 0;
    for (; done < uploads && !stop.getAsBoolean(); done++) {
      String acks = client.putMedia(stream, startMs(done), media.bytes(), PIECE_BYTES).text();
      int persisted = count(acks, "\"EventType\":\"PERSISTED\"");
      if (persisted != media.fragments() || acks.contains("\"EventType\":\"ERROR\"")) {
        throw new IOException("PutMedia to " + stream + ": " + persisted + " of "
            + media.fragments() + " fragments PERSISTED; acks " + shorten(acks));
      }
    }
    return done;
  }

  /** One round of reads over the {@code round}-th upload (modulo {@code uploaded}) of {@code stream}. */
  void readRound(WarmUpClient client, String stream, int uploaded, int round) throws IOException {
    long fromMs = startMs(round % uploaded);
    long toMs = fromMs + media.durationMs();
    String name = "\"StreamName\":\"" + stream + "\"";
    String range = "\"TimestampRange\":{\"StartTimestamp\":" + seconds(fromMs)
        + ",\"EndTimestamp\":" + seconds(toMs) + "}";
    client.post("/describeStream", "{" + name + "}");
    String listing = client.post("/listFragments", "{" + name + ",\"FragmentSelector\":"
        + "{\"FragmentSelectorType\":\"PRODUCER_TIMESTAMP\"," + range + "}}").text();
    if (!listing.contains("\"FragmentNumber\"")) {
      throw new IOException("ListFragments of " + stream + " found nothing: " + shorten(listing));
    }
    if (client.post("/getClip", "{" + name + ",\"ClipFragmentSelector\":"
        + "{\"FragmentSelectorType\":\"PRODUCER_TIMESTAMP\"," + range + "}}").body().length == 0) {
      throw new IOException("GetClip of " + stream + " is empty");
    }
    // GetMedia follows the live edge and never ends by itself: read half an upload's worth.
    long want = media.bytes().length / 2;
    if (client.postAndReadPrefix("/getMedia", "{" + name + ",\"StartSelector\":"
        + "{\"StartSelectorType\":\"PRODUCER_TIMESTAMP\",\"StartTimestamp\":" + seconds(fromMs)
        + "}}", want).body().length < want) {
      throw new IOException("GetMedia of " + stream + " ended early");
    }
    hls(client, name, range);
  }

  /** An HLS session: master playlist, media playlist, init section, first media segment. */
  private static void hls(WarmUpClient client, String name, String range) throws IOException {
    JsonNode session = JSON.readTree(client.post("/getHLSStreamingSessionURL", "{" + name
        + ",\"PlaybackMode\":\"ON_DEMAND\",\"HLSFragmentSelector\":"
        + "{\"FragmentSelectorType\":\"PRODUCER_TIMESTAMP\"," + range + "}}").body());
    URI master = URI.create(session.path("HLSStreamingSessionURL").asText());
    URI mediaPlaylist = master.resolve(firstUri(client.get(target(master)).text(), master));
    String playlist = client.get(target(mediaPlaylist)).text();
    int map = playlist.indexOf("#EXT-X-MAP:URI=\"");
    if (map >= 0) {
      int from = map + "#EXT-X-MAP:URI=\"".length();
      client.get(target(mediaPlaylist.resolve(playlist.substring(from,
          playlist.indexOf('"', from)))));
    }
    client.get(target(mediaPlaylist.resolve(firstUri(playlist, mediaPlaylist))));
  }

  /** The first line of a playlist that is not a tag: the URI of a playlist or segment. */
  private static String firstUri(String playlist, URI from) throws IOException {
    for (String line : playlist.split("\n")) {
      String l = line.trim();
      if (!l.isEmpty() && !l.startsWith("#")) {
        return l;
      }
    }
    throw new IOException("playlist " + from.getPath() + " lists nothing: " + shorten(playlist));
  }

  private static String target(URI uri) {
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private long startMs(int upload) {
    return PRODUCER_BASE_MS + upload * media.durationMs();
  }

  private static String seconds(long ms) {
    return String.format(Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000);
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      n++;
    }
    return n;
  }

  private static String shorten(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }
}
