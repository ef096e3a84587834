package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideo.model.Status;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelector;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ListFragmentsResponse;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.TimestampRange;

/** Stream set-up and upload steps shared by the end-to-end tests, all through public APIs. */
final class Streams {
  /** CreateStream is asynchronous on AWS (CREATING, then ACTIVE); this is how long we wait. */
  private static final Duration ACTIVE_TIMEOUT = Duration.ofSeconds(10);
  /** ListFragments is eventually consistent after PERSISTED (AWS: typically under 1 s). */
  private static final Duration LISTING_TIMEOUT = Duration.ofSeconds(10);
  /** Ten seconds of media goes up in well under a second; the rest is slack for slow machines. */
  static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(60);

  private Streams() {}

  /** Creates a stream and waits until it is ACTIVE; returns its ARN. */
  static String create(KinesisVideoClient kv, String name, int retentionHours) {
    String arn = kv.createStream(r -> r.streamName(name).dataRetentionInHours(retentionHours)
        .mediaType("video/h264,audio/aac")).streamARN();
    awaitActive(kv, name);
    return arn;
  }

  static void awaitActive(KinesisVideoClient kv, String name) {
    long deadline = System.nanoTime() + ACTIVE_TIMEOUT.toNanos();
    Status status;
    while ((status = kv.describeStream(r -> r.streamName(name)).streamInfo().status())
        != Status.ACTIVE) {
      assertThat(System.nanoTime()).as("stream %s still %s", name, status).isLessThan(deadline);
      sleep(50);
    }
  }

  static URI dataEndpoint(KinesisVideoClient kv, String name, APIName api) {
    return URI.create(kv.getDataEndpoint(r -> r.streamName(name).apiName(api)).dataEndpoint());
  }

  /**
   * What one upload did: the producer start timestamp sent, server time just before the upload
   * and just after its response ended, and the response.
   */
  record Ingest(String streamName, Instant producerStart, Instant serverBefore,
      Instant serverAfter, PutMediaClient.Response response) {}

  /** Uploads {@link TestMedia#h264Aac()} to the PUT_MEDIA endpoint, RELATIVE timecodes. */
  static Ingest ingestTestMedia(KinesisVideoClient kv, String name) {
    return ingest(kv, name, new ByteArrayInputStream(TestMedia.h264AacBytes()));
  }

  static Ingest ingest(KinesisVideoClient kv, String name, InputStream body) {
    return ingest(kv, name, body, Instant.now().truncatedTo(ChronoUnit.MILLIS));
  }

  /** {@link #ingest(KinesisVideoClient, String, InputStream)} from a given producer start time. */
  static Ingest ingest(KinesisVideoClient kv, String name, InputStream body, Instant producerStart) {
    URI endpoint = dataEndpoint(kv, name, APIName.PUT_MEDIA);
    Instant before = Instant.now();
    PutMediaClient.Response response = InProcessServer.putMedia(endpoint).put(
        PutMediaClient.Target.relative(name, producerStart), PutMediaClient.Signing.EMPTY_PAYLOAD_HASH,
        body, UPLOAD_TIMEOUT);
    Instant after = Instant.now();
    assertThat(response.status()).as("PutMedia status; body: %s", response.body()).isEqualTo(200);
    return new Ingest(name, producerStart, before, after, response);
  }

  /**
   * Starts a PutMedia upload of {@code body} to the stream's PUT_MEDIA endpoint (RELATIVE
   * timecodes from {@code producerStart}, empty-payload signature) and returns while it runs.
   */
  static PutMediaClient.Upload startUpload(KinesisVideoClient kv, String name, InputStream body,
      Instant producerStart) {
    return InProcessServer.putMedia(dataEndpoint(kv, name, APIName.PUT_MEDIA)).start(
        PutMediaClient.Target.relative(name, producerStart),
        PutMediaClient.Signing.EMPTY_PAYLOAD_HASH, body);
  }

  static FragmentSelector selector(FragmentSelectorType type, Instant start, Instant end) {
    return FragmentSelector.builder().fragmentSelectorType(type)
        .timestampRange(TimestampRange.builder().startTimestamp(start).endTimestamp(end).build())
        .build();
  }

  /**
   * All fragments matching {@code selector}, following NextToken with pages of {@code pageSize}
   * (null: server default), in producer-timestamp order. Each page is checked to hold at most
   * {@code pageSize} fragments.
   */
  static List<Fragment> listAll(KinesisVideoArchivedMediaClient am, String name,
      FragmentSelector selector, Integer pageSize) {
    List<Fragment> all = new ArrayList<>();
    ListFragmentsResponse page = am.listFragments(r -> r.streamName(name)
        .fragmentSelector(selector).maxResults(pageSize == null ? null : pageSize.longValue()));
    while (true) {
      if (pageSize != null) {
        assertThat(page.fragments()).hasSizeLessThanOrEqualTo(pageSize);
      }
      all.addAll(page.fragments());
      String token = page.nextToken();
      if (token == null || token.isEmpty()) {
        break;
      }
      page = am.listFragments(r -> r.streamName(name).nextToken(token)
          .maxResults(pageSize == null ? null : pageSize.longValue()));
    }
    all.sort(Comparator.comparing(Fragment::producerTimestamp));
    return all;
  }

  /** {@link #listAll} repeated until it returns {@code count} fragments (eventual consistency). */
  static List<Fragment> awaitFragments(KinesisVideoArchivedMediaClient am, String name,
      FragmentSelector selector, int count) {
    long deadline = System.nanoTime() + LISTING_TIMEOUT.toNanos();
    List<Fragment> fragments;
    while ((fragments = listAll(am, name, selector, null)).size() < count
        && System.nanoTime() < deadline) {
      sleep(100);
    }
    return fragments;
  }

  /** A range of producer timestamps that holds every fragment of an ingest (and nothing else). */
  static FragmentSelector wholeIngestByProducerTime(Ingest ingest) {
    return selector(FragmentSelectorType.PRODUCER_TIMESTAMP, ingest.producerStart(),
        ingest.producerStart().plusSeconds(TestMedia.DURATION_SECONDS + 1));
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
