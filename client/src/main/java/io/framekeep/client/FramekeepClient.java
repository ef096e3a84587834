package io.framekeep.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideo.model.ListStreamsResponse;
import software.amazon.awssdk.services.kinesisvideo.model.StreamInfo;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelector;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipTimestampRange;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelector;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.GetClipResponse;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ListFragmentsResponse;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.TimestampRange;

/**
 * A client for Framekeep and for Amazon Kinesis Video Streams alike: GetClip, ListFragments, the
 * stream control plane, PutMedia with its ack stream, and clips of any length stitched from
 * GetClip-sized pieces ({@link #downloadClip}).
 *
 * <p>Every data-plane call first asks GetDataEndpoint for the stream and API and caches the answer
 * ({@link EndpointCache}: 45 minutes, dropped on a transport error or InvalidEndpointException).
 * Requests are signed with SigV4 (service {@code kinesisvideo}) using the default AWS credential
 * sources (environment, system properties, {@code ~/.aws/credentials} profiles, ...) unless a
 * provider or profile is given. Idempotent calls are retried with backoff after throttling
 * ({@code ClientLimitExceededException} included), 5xx answers and transport failures; a PutMedia
 * upload is retried only when the server refused it before any body byte was sent.
 *
 * <p>Errors are {@link KvsException} subclasses, one per AWS error, carrying the server's
 * message; transport failures are {@link UncheckedIOException}s.
 *
 * <p>Thread-safe: one client may serve many threads. Close it to release its HTTP connections.
 */
public final class FramekeepClient implements AutoCloseable {
  /** SigV4 signing name of all three KVS models and of PutMedia. */
  static final String SIGNING_NAME = "kinesisvideo";
  /** Signing region when talking to Framekeep and none is configured (any region is accepted). */
  public static final String DEFAULT_FRAMEKEEP_REGION = "us-east-1";
  /** ListFragments page size: the model's maximum, fewest round trips. */
  static final int LIST_FRAGMENTS_PAGE = 1000;

  private final URI endpoint;
  private final String region;
  private final AwsCredentialsProvider credentials;
  private final Retrier retrier;
  private final Clock clock;
  private final SdkHttpClient http;
  private final KinesisVideoClient control;
  private final ConcurrentHashMap<URI, KinesisVideoArchivedMediaClient> archived =
      new ConcurrentHashMap<>();
  private final EndpointCache endpoints;

  private FramekeepClient(Builder b) {
    this.endpoint = b.endpoint;
    this.region = b.region != null ? b.region
        : AwsSettings.region(b.profile).orElseGet(() -> {
          if (b.endpoint == null) {
            throw Validation.invalid("No AWS region is configured: set AWS_REGION or give an endpoint.");
          }
          return DEFAULT_FRAMEKEEP_REGION;
        });
    this.credentials = b.credentials != null ? b.credentials
        : b.profile != null ? ProfileCredentialsProvider.create(b.profile)
        : DefaultCredentialsProvider.builder().build();
    this.retrier = b.retrier != null ? b.retrier : new Retrier(b.maxAttempts,
        d -> Thread.sleep(d.toMillis()));
    this.clock = b.clock;
    this.http = UrlConnectionHttpClient.create();
    var cb = KinesisVideoClient.builder()
        .httpClient(http)
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
    if (endpoint != null) {
      cb.endpointOverride(endpoint);
    }
    this.control = cb.build();
    this.endpoints = new EndpointCache(this::lookupEndpoint, clock, EndpointCache.DEFAULT_TTL);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The control-plane endpoint, or null for AWS's regional endpoint. */
  public URI endpoint() {
    return endpoint;
  }

  public String region() {
    return region;
  }

  /**
   * GetClip: one MP4 of the fragments whose start lies in the selector's range, truncated by the
   * service at 200 fragments / 100 MB (see {@link #downloadClip} for longer ranges). Validated
   * before sending as the AWS SDKs do: a selector with its type and both timestamps, and one of
   * stream name (1–256 chars, {@code [a-zA-Z0-9_.-]+}) or ARN (1–1024 chars).
   *
   * @return the clip as a stream (close it) and its content type
   * @throws InvalidArgumentException also without sending, for the checks above
   * @throws ResourceNotFoundException and the seven other GetClip errors, each its own type
   */
  public ClipResult getClip(ClipFragmentSelector selector, String streamArn, String streamName) {
    Validation.required(selector, "ClipFragmentSelector");
    Validation.required(selector.fragmentSelectorTypeAsString(),
        "ClipFragmentSelector.FragmentSelectorType");
    Validation.required(selector.timestampRange(), "ClipFragmentSelector.TimestampRange");
    Validation.required(selector.timestampRange().startTimestamp(),
        "ClipFragmentSelector.TimestampRange.StartTimestamp");
    Validation.required(selector.timestampRange().endTimestamp(),
        "ClipFragmentSelector.TimestampRange.EndTimestamp");
    Validation.streamNameOrArn(streamName, streamArn);
    EndpointCache.Key key = new EndpointCache.Key(streamName, streamArn, APIName.GET_CLIP.toString());
    return withEndpoint(key, ep -> {
      ResponseInputStream<GetClipResponse> in = archived(ep).getClip(r -> r
          .streamName(streamName).streamARN(streamArn).clipFragmentSelector(selector));
      return new ClipResult(in.response().contentType(), in);
    });
  }

  /** GetClip for a range on the given clock (at most one service-sized piece). */
  public ClipResult getClip(String streamName, Instant start, Instant end, TimestampType type) {
    return getClip(ClipFragmentSelector.builder()
        .fragmentSelectorType(type == TimestampType.SERVER
            ? ClipFragmentSelectorType.SERVER_TIMESTAMP : ClipFragmentSelectorType.PRODUCER_TIMESTAMP)
        .timestampRange(ClipTimestampRange.builder().startTimestamp(start).endTimestamp(end).build())
        .build(), null, streamName);
  }

  /**
   * Every fragment whose start lies in the range (all ListFragments pages), sorted by start on the
   * range's clock, then by fragment number.
   */
  public List<Fragment> listFragments(String streamName, ClipRange range) {
    Validation.streamName(streamName);
    Objects.requireNonNull(range, "range");
    EndpointCache.Key key = new EndpointCache.Key(streamName, null,
        APIName.LIST_FRAGMENTS.toString());
    FragmentSelector selector = FragmentSelector.builder()
        .fragmentSelectorType(range.type() == TimestampType.SERVER
            ? FragmentSelectorType.SERVER_TIMESTAMP : FragmentSelectorType.PRODUCER_TIMESTAMP)
        .timestampRange(TimestampRange.builder().startTimestamp(range.start())
            .endTimestamp(range.end()).build())
        .build();
    List<Fragment> all = new ArrayList<>();
    String next = null;
    do {
      String token = next;
      ListFragmentsResponse page = withEndpoint(key, ep -> archived(ep).listFragments(r -> {
        r.streamName(streamName).maxResults((long) LIST_FRAGMENTS_PAGE);
        if (token == null) {
          r.fragmentSelector(selector);
        } else {
          r.nextToken(token);
        }
      }));
      for (var f : page.fragments()) {
        all.add(new Fragment(f.fragmentNumber(), f.producerTimestamp(), f.serverTimestamp(),
            f.fragmentLengthInMilliseconds() == null ? 0 : f.fragmentLengthInMilliseconds(),
            f.fragmentSizeInBytes() == null ? 0 : f.fragmentSizeInBytes()));
      }
      next = page.nextToken();
    } while (next != null && !next.isEmpty());
    all.sort(Comparator.comparing((Fragment f) -> f.timestamp(range.type()))
        .thenComparing(f -> new BigInteger(f.fragmentNumber())));
    return all;
  }

  /** Every stream (all ListStreams pages), in the service's order. */
  public List<StreamSummary> listStreams() {
    List<StreamSummary> all = new ArrayList<>();
    String next = null;
    do {
      String token = next;
      ListStreamsResponse page = call(() -> control.listStreams(r -> r.nextToken(token)));
      page.streamInfoList().forEach(s -> all.add(summary(s)));
      next = page.nextToken();
    } while (next != null && !next.isEmpty());
    return all;
  }

  /** DescribeStream by name. */
  public StreamSummary describeStream(String streamName) {
    Validation.streamName(streamName);
    return summary(call(() -> control.describeStream(r -> r.streamName(streamName))).streamInfo());
  }

  /** CreateStream; returns the new stream's ARN. */
  public String createStream(String streamName, int dataRetentionInHours) {
    Validation.streamName(streamName);
    return call(() -> control.createStream(r -> r.streamName(streamName)
        .dataRetentionInHours(dataRetentionInHours))).streamARN();
  }

  /**
   * PutMedia: uploads a Matroska stream (a file, or a live encoder's stdout) until its end or an
   * ERROR ack. Acks are passed to {@code listener} as they arrive. Blocks until the server has
   * answered the last fragment.
   *
   * @return counts and, when the server ended the session with an ERROR ack, that ack
   * @throws KvsException the upload was refused before any media was sent (unknown stream,
   *     connection limit, ...), after retrying throttling
   * @throws UncheckedIOException the connection failed; fragments acked PERSISTED are stored
   */
  public PutMediaResult putMedia(String streamName, InputStream mkv, PutMediaOptions options,
      PutMediaListener listener) {
    Validation.streamName(streamName);
    Objects.requireNonNull(mkv, "mkv");
    EndpointCache.Key key = new EndpointCache.Key(streamName, null, APIName.PUT_MEDIA.toString());
    for (int attempt = 1; ; attempt++) {
      URI ep = retrier.call(() -> endpoints.get(key), () -> { });
      AwsCredentials identity = resolveCredentials();
      PutMediaUpload upload = new PutMediaUpload(ep, region, identity, streamName, options,
          clock.instant());
      try {
        return upload.run(mkv, listener == null ? PutMediaListener.NONE : listener);
      } catch (KvsException e) {
        // Thrown only while no body byte has been read from mkv: a retry duplicates nothing.
        if (e instanceof InvalidEndpointException) {
          endpoints.invalidate(key);
        }
        if (!e.isRetryable() || attempt >= retrier.maxAttempts()) {
          throw e;
        }
        retrier.pause(attempt);
      } catch (IOException e) {
        endpoints.invalidate(key);
        throw new UncheckedIOException("PutMedia to " + ep + " failed: " + e.getMessage(), e);
      }
    }
  }

  /** {@link #putMedia(String, InputStream, PutMediaOptions, PutMediaListener)} RELATIVE to now. */
  public PutMediaResult putMedia(String streamName, InputStream mkv, PutMediaListener listener) {
    return putMedia(streamName, mkv, PutMediaOptions.relativeToNow(), listener);
  }

  /**
   * Writes the clip of a range of any length to {@code out} as one MP4: lists the range's
   * fragments, fetches GetClip pieces within the service limits split on fragment boundaries,
   * and joins their sample tables so the result plays as one file with no frame repeated or lost.
   * Pieces are spooled to temporary files; memory holds only sample tables.
   *
   * @throws ResourceNotFoundException no fragment lies in the range
   * @throws IOException writing {@code out} or the temporary files failed, or a piece could not
   *     be joined (its codec configuration differs from the first piece's)
   */
  public ClipDownload downloadClip(String streamName, ClipRange range, OutputStream out,
      ClipDownloadOptions options) throws IOException {
    return new LongClipDownloader(this, options).download(streamName, range, out);
  }

  /** {@link #downloadClip(String, ClipRange, OutputStream, ClipDownloadOptions)} with defaults. */
  public ClipDownload downloadClip(String streamName, ClipRange range, OutputStream out)
      throws IOException {
    return downloadClip(streamName, range, out, ClipDownloadOptions.defaults());
  }

  @Override
  public void close() {
    archived.values().forEach(KinesisVideoArchivedMediaClient::close);
    control.close();
    http.close();
  }

  // ---- internals ----

  int endpointCacheSize() {
    return endpoints.size();
  }

  private AwsCredentials resolveCredentials() {
    if (credentials instanceof AnonymousCredentialsProvider) {
      return null;
    }
    try {
      return credentials.resolveCredentials();
    } catch (SdkException e) {
      throw new NotAuthorizedException("No AWS credentials found: " + e.getMessage(), 0, null, e);
    }
  }

  private URI lookupEndpoint(EndpointCache.Key key) {
    String url = call(() -> control.getDataEndpoint(r -> r.streamName(key.streamName())
        .streamARN(key.streamArn()).apiName(key.apiName()))).dataEndpoint();
    return URI.create(url);
  }

  private KinesisVideoArchivedMediaClient archived(URI dataEndpoint) {
    return archived.computeIfAbsent(dataEndpoint, ep -> KinesisVideoArchivedMediaClient.builder()
        .httpClient(http)
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .endpointOverride(ep)
        .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build());
  }

  /** A control-plane call with retries and error mapping. */
  private <T> T call(Supplier<T> sdkCall) {
    return retrier.call(() -> {
      try {
        return sdkCall.get();
      } catch (SdkException e) {
        throw ErrorMapping.fromSdk(e);
      }
    }, () -> { });
  }

  /** A data-plane call through the cached endpoint, with retries and error mapping. */
  private <T> T withEndpoint(EndpointCache.Key key, Function<URI, T> dataCall) {
    return retrier.call(() -> {
      URI ep = endpoints.get(key);
      try {
        return dataCall.apply(ep);
      } catch (SdkException e) {
        RuntimeException mapped = ErrorMapping.fromSdk(e);
        if (mapped instanceof UncheckedIOException || mapped instanceof InvalidEndpointException) {
          endpoints.invalidate(key);
        }
        throw mapped;
      }
    }, () -> { });
  }

  private static StreamSummary summary(StreamInfo s) {
    return new StreamSummary(s.streamName(), s.streamARN(), s.statusAsString(), s.mediaType(),
        s.dataRetentionInHours() == null ? 0 : s.dataRetentionInHours(), s.creationTime());
  }

  /**
   * Settings of a client. With no endpoint the client talks to AWS in the configured region; with
   * one (e.g. {@code http://127.0.0.1:8567}) to that server, signing for the configured region or
   * {@value #DEFAULT_FRAMEKEEP_REGION}. Not thread-safe.
   */
  public static final class Builder {
    private URI endpoint;
    private String region;
    private String profile;
    private AwsCredentialsProvider credentials;
    private int maxAttempts = Retrier.DEFAULT_MAX_ATTEMPTS;
    private Retrier retrier;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Control-plane endpoint (a Framekeep server's base URL); null means AWS. */
    public Builder endpoint(URI endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    public Builder region(String region) {
      this.region = region;
      return this;
    }

    /** Named profile of {@code ~/.aws/credentials} and {@code ~/.aws/config}. */
    public Builder profile(String profile) {
      this.profile = profile;
      return this;
    }

    public Builder credentialsProvider(AwsCredentialsProvider credentials) {
      this.credentials = credentials;
      return this;
    }

    /** Attempts per idempotent call, the first included (default 5). */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    Builder retrier(Retrier retrier) {
      this.retrier = retrier;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public FramekeepClient build() {
      return new FramekeepClient(this);
    }
  }
}
