package io.framekeep.server.images;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.model.GetImagesRequest;
import io.framekeep.api.model.ImageSelectorType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Which sampled instants a GetImages page covers. The instants of a request are
 * {@code start + k * interval} for k = 0, 1, ... while at or before {@code end} (both ends
 * inclusive, so a range shorter than the interval yields the start alone); a page is the next
 * {@code pageSize} of them from index {@code nextIndex}.
 *
 * <p>NextToken format: base64 of {@code v1|<selectorType>|<startMs>|<endMs>|<intervalMs>|<index>}.
 * A continuation must repeat the request's selector type, range and interval (the SDK paginators
 * do); a token for a different request is InvalidArgumentException. No server-side state.
 */
record ImagePage(ImageSelectorType type, long startMs, long endMs, long intervalMs,
    long nextIndex) {
  private static final String VERSION = "v1";
  private static final int TOKEN_FIELDS = 6;

  /** The page a request asks for: the first, or the one its NextToken names. */
  static ImagePage of(GetImagesRequest request) {
    ImagePage first = new ImagePage(request.selectorType(),
        request.startTimestamp().toEpochMilli(), request.endTimestamp().toEpochMilli(),
        request.effectiveSamplingIntervalMs(), 0);
    if (request.nextToken() == null) {
      return first;
    }
    ImagePage resumed = decode(request.nextToken());
    if (resumed.type != first.type || resumed.startMs != first.startMs
        || resumed.endMs != first.endMs || resumed.intervalMs != first.intervalMs
        || resumed.nextIndex >= first.instantCount()) {
      throw invalidToken(request.nextToken());
    }
    return resumed;
  }

  /** Number of sampled instants in the whole request (at most 1,501: 300 s every 200 ms). */
  long instantCount() {
    return (endMs - startMs) / intervalMs + 1;
  }

  /** The instants (epoch ms) of this page. */
  List<Long> instantsMs(int pageSize) {
    long end = Math.min(instantCount(), nextIndex + pageSize);
    List<Long> instants = new ArrayList<>((int) (end - nextIndex));
    for (long k = nextIndex; k < end; k++) {
      instants.add(startMs + k * intervalMs);
    }
    return instants;
  }

  /** The token of the page after this one, or null when this page is the last. */
  String nextToken(int pageSize) {
    long next = nextIndex + pageSize;
    if (next >= instantCount()) {
      return null;
    }
    String text = String.join("|", VERSION, type.name(), Long.toString(startMs),
        Long.toString(endMs), Long.toString(intervalMs), Long.toString(next));
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static ImagePage decode(String token) {
    try {
      String[] p = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8)
          .split("\\|");
      if (p.length != TOKEN_FIELDS || !p[0].equals(VERSION)) {
        throw invalidToken(token);
      }
      return new ImagePage(ImageSelectorType.valueOf(p[1]), Long.parseLong(p[2]),
          Long.parseLong(p[3]), Long.parseLong(p[4]), Long.parseLong(p[5]));
    } catch (IllegalArgumentException e) {
      throw invalidToken(token);
    }
  }

  private static ApiException invalidToken(String token) {
    return ApiException.invalidArgument("NextToken is not valid for this request: " + token);
  }
}
