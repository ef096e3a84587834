package io.framekeep.server.images;

import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import io.framekeep.api.json.Json;
import io.framekeep.api.model.GetImagesRequest;
import io.framekeep.api.model.GetImagesResponse;
import io.framekeep.api.model.Image;
import io.framekeep.api.model.ImageError;
import io.framekeep.api.model.ImageSelectorType;
import io.framekeep.images.ImageFormat;
import io.framekeep.images.ImageOptions;
import io.framekeep.server.FragmentCoverage;
import io.framekeep.server.StoredHeaders;
import io.framekeep.server.StreamResolver;
import io.framekeep.server.http.Operation;
import io.framekeep.server.http.Response;
import io.framekeep.server.quota.FragmentQuotas;
import io.framekeep.server.retention.RetentionWindow;
import io.framekeep.storage.FragmentLog;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.StreamRecord;
import io.framekeep.storage.TimeOrigin;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /getImages}: still images of a stream sampled every SamplingInterval over at most
 * 300 s, a page at a time (spec §3.4).
 *
 * <p>Checks run in this order: arguments, stream, retention (0 hours:
 * NoDataRetentionException), NextToken, fragment quotas (metadata 400 + max images, media max
 * images, §5.3). Then each instant of the page is matched with the fragment holding it ({@link
 * CoveringFragments}); instants without one get {@code NO_MEDIA}. Instants sharing a fragment are
 * rendered together from its key frame, so each fragment is decoded once per page ({@link
 * FragmentStills}); a fragment that gives no still makes its instants {@code MEDIA_ERROR}. Every
 * instant of the page gets an entry: none is dropped.
 *
 * <p>Decoding runs on the calling worker thread; the work is bounded by the page size (at most
 * {@link GetImagesRequest#PAGE_SIZE} images, each from at most one fragment). Thread-safe.
 */
public final class GetImagesOperation implements Operation {
  private static final Logger LOG = LoggerFactory.getLogger(GetImagesOperation.class);
  /** AWS: every GetImages costs 400 fragment-metadata points plus one per image (spec §5.3). */
  static final int METADATA_POINTS_BASE = 400;

  private final StreamResolver resolver;
  private final FragmentLog fragments;
  private final FragmentCoverage coverage;
  private final FragmentStills stills;
  private final FragmentQuotas quotas;
  private final long maxFragmentDurationMs;
  private final Clock clock;

  /**
   * @param maxFragmentDurationMs the longest a stored fragment can be: how far before an instant
   *     the fragment holding it may start
   * @param clock server time, against which data retention is counted
   */
  public GetImagesOperation(StreamResolver resolver, FragmentLog fragments, FragmentQuotas quotas,
      long maxFragmentDurationMs, Clock clock) {
    this.resolver = resolver;
    this.fragments = fragments;
    this.coverage = new FragmentCoverage(new StoredHeaders(fragments));
    this.stills = new FragmentStills(fragments);
    this.quotas = quotas;
    this.maxFragmentDurationMs = maxFragmentDurationMs;
    this.clock = clock;
  }

  @Override
  public Response handle(byte[] body, VerifiedCaller caller) throws IOException {
    GetImagesRequest request = Json.read(body, GetImagesRequest.class).validate();
    StreamRecord stream = resolver.resolve(request.streamName(), request.streamArn());
    if (stream.dataRetentionHours() == 0) {
      throw ApiException.of(AwsError.NO_DATA_RETENTION,
          "The stream " + stream.name() + " has no data retention, so it has no archived media.");
    }
    ImagePage page = ImagePage.of(request);
    int maxImages = request.maxResults() == null
        ? GetImagesRequest.PAGE_SIZE : request.maxResults().intValue();
    quotas.charge(stream.streamId(), METADATA_POINTS_BASE + maxImages, maxImages);

    TimeOrigin origin = request.selectorType() == ImageSelectorType.PRODUCER_TIMESTAMP
        ? TimeOrigin.PRODUCER : TimeOrigin.SERVER;
    long earliestServerMs = RetentionWindow.earliestServerMs(stream, clock);
    List<Long> instants = page.instantsMs(request.pageSize());
    Map<Long, FragmentRecord> holders = new LinkedHashMap<>();
    Map<Long, List<Integer>> instantsByFragment = new LinkedHashMap<>();
    for (int i = 0; i < instants.size(); i++) {
      FragmentRecord f = CoveringFragments.at(fragments, coverage, stream.streamId(), origin,
          instants.get(i), maxFragmentDurationMs, earliestServerMs);
      if (f != null) {
        holders.putIfAbsent(f.sequence(), f);
        instantsByFragment.computeIfAbsent(f.sequence(), s -> new ArrayList<>()).add(i);
      }
    }

    Image[] images = new Image[instants.size()];
    ImageOptions options = options(request);
    Base64.Encoder base64 = Base64.getEncoder();
    for (Map.Entry<Long, List<Integer>> group : instantsByFragment.entrySet()) {
      List<Integer> indices = group.getValue();
      List<Long> groupInstants = indices.stream().map(instants::get).toList();
      try {
        List<byte[]> encoded = stills.render(holders.get(group.getKey()), origin, groupInstants,
            options);
        for (int j = 0; j < indices.size(); j++) {
          images[indices.get(j)] = Image.of(Instant.ofEpochMilli(groupInstants.get(j)),
              base64.encodeToString(encoded.get(j)));
        }
      } catch (FragmentStills.MediaException e) {
        LOG.debug("GetImages on stream {}: fragment {} gives no image: {}", stream.name(),
            group.getKey(), e.getMessage());
        for (int index : indices) {
          images[index] = Image.failed(Instant.ofEpochMilli(instants.get(index)),
              ImageError.MEDIA_ERROR);
        }
      }
    }
    for (int i = 0; i < images.length; i++) {
      if (images[i] == null) {
        images[i] = Image.failed(Instant.ofEpochMilli(instants.get(i)), ImageError.NO_MEDIA);
      }
    }
    return new Response.Json(new GetImagesResponse(List.of(images),
        page.nextToken(request.pageSize())));
  }

  private static ImageOptions options(GetImagesRequest request) {
    return new ImageOptions(ImageFormat.valueOf(request.format()), request.jpegQuality(),
        request.widthPixels() == null ? 0 : request.widthPixels(),
        request.heightPixels() == null ? 0 : request.heightPixels());
  }
}
