package io.framekeep.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.it.PutMediaClient.Ack;
import io.framekeep.it.PutMediaClient.Signing;
import io.framekeep.it.PutMediaClient.Target;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.APIName;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.Fragment;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;

/** PutMedia refusals (JSON errors before any ack) and in-stream ERROR acks (spec §3.7). */
class PutMediaErrorsTest {
  @RegisterExtension static final InProcessServer SERVER = InProcessServer.withDefaults();
  /**
   * Zero bytes: 0x00 cannot start an EBML element ID (no length marker within four bytes), so
   * wherever they appear they are invalid MKV, never an unknown element a parser could skip.
   */
  private static final byte[] GARBAGE = new byte[4096];
  /** Enough of the MKV for the header and the first clusters, well short of the whole file. */
  private static final int FIRST_PART_BYTES = 120 * 1024;
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(20);

  private static KinesisVideoClient kv;
  private static int clusters;

  @BeforeAll
  static void client() {
    kv = SERVER.kinesisVideo();
    clusters = Ffmpeg.clusterTimecodesMs(TestMedia.h264Aac()).size();
  }

  @Test
  void putMedia_garbageBody_errorAck4006AndNothingPersisted() {
    Streams.create(kv, "pm-garbage", 24);

    PutMediaClient.Response response = put("pm-garbage", new ByteArrayInputStream(GARBAGE));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.acks("ERROR")).singleElement().satisfies(this::isInvalidMkvData);
    assertThat(response.acks("PERSISTED")).isEmpty();
  }

  @Test
  void putMedia_validMkvThenGarbage_errorAck4006AndPersistedFragmentsStayListed() {
    Streams.create(kv, "pm-tail-garbage", 24);
    Instant producerStart = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    PutMediaClient.Response response = InProcessServer.putMedia(endpoint("pm-tail-garbage")).put(
        Target.relative("pm-tail-garbage", producerStart), Signing.EMPTY_PAYLOAD_HASH,
        new SequenceInputStream(new ByteArrayInputStream(TestMedia.h264AacBytes()),
            new ByteArrayInputStream(GARBAGE)),
        Streams.UPLOAD_TIMEOUT);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.acks("ERROR")).singleElement().satisfies(this::isInvalidMkvData);
    List<String> persisted = response.acks("PERSISTED").stream().map(Ack::fragmentNumber)
        .toList();
    // Every cluster but possibly the last (complete only once the next element parses) persisted.
    assertThat(persisted).hasSizeGreaterThanOrEqualTo(clusters - 1);
    List<Fragment> listed = Streams.awaitFragments(
        SERVER.archivedMedia(Streams.dataEndpoint(kv, "pm-tail-garbage", APIName.LIST_FRAGMENTS)),
        "pm-tail-garbage", Streams.selector(FragmentSelectorType.PRODUCER_TIMESTAMP,
            producerStart, producerStart.plusSeconds(11)),
        persisted.size());
    assertThat(listed).extracting(Fragment::fragmentNumber).containsAll(persisted);
  }

  /**
   * AWS allows one PutMedia per stream, plus the newer one a producer opens to rotate its
   * credentials (PutMediaRotationTest); a third connection meanwhile is refused.
   */
  @Test
  void putMedia_thirdConcurrentUploadOnStream_connectionLimitExceeded400() throws Exception {
    Streams.create(kv, "pm-concurrent", 24);
    URI endpoint = endpoint("pm-concurrent");
    byte[] mkv = TestMedia.h264AacBytes();
    CountDownLatch release = new CountDownLatch(1);
    InputStream held = new SequenceInputStream(Collections.enumeration(List.of(
        new ByteArrayInputStream(Arrays.copyOfRange(mkv, 0, FIRST_PART_BYTES)),
        new GateInputStream(release),
        new ByteArrayInputStream(Arrays.copyOfRange(mkv, FIRST_PART_BYTES, mkv.length)))));
    Target target = Target.relative("pm-concurrent", Instant.now().truncatedTo(ChronoUnit.MILLIS));

    // The second starts once the first owns the stream: started together, the second could claim
    // it first, and the first, its successor, would then take it over and end it.
    try (PutMediaClient.Upload first = InProcessServer.putMedia(endpoint)
        .start(target, Signing.EMPTY_PAYLOAD_HASH, held);
        PutMediaClient.Upload second = startAfterFirstBuffering(first, endpoint, target, release)) {
      assertThat(second.awaitStatus(ACK_TIMEOUT)).isEqualTo(200);

      PutMediaClient.Response third = put("pm-concurrent", new ByteArrayInputStream(mkv));

      assertThat(third.status()).isEqualTo(400);
      assertThat(third.errorType()).startsWith("ConnectionLimitExceededException");
      assertThat(third.body()).contains("ConnectionLimitExceededException");
      assertThat(third.acks()).isEmpty();

      second.close(); // the waiting successor leaves without sending a fragment
      release.countDown();
      PutMediaClient.Response firstDone = first.await(Streams.UPLOAD_TIMEOUT);
      assertThat(firstDone.acks("ERROR")).isEmpty();
      assertThat(firstDone.acks("PERSISTED")).hasSize(clusters);
    } finally {
      release.countDown();
    }
  }

  private static PutMediaClient.Upload startAfterFirstBuffering(PutMediaClient.Upload first,
      URI endpoint, Target target, CountDownLatch release) {
    assertThat(first.awaitStatus(ACK_TIMEOUT)).isEqualTo(200);
    first.awaitAck(a -> "BUFFERING".equals(a.eventType()), ACK_TIMEOUT);
    return InProcessServer.putMedia(endpoint)
        .start(target, Signing.EMPTY_PAYLOAD_HASH, new GateInputStream(release));
  }

  @Test
  void putMedia_unknownStream_resourceNotFound404() {
    PutMediaClient.Response response = InProcessServer.putMedia(URI.create(SERVER.baseUrl())).put(
        Target.relative("pm-no-such-stream", Instant.now()), Signing.EMPTY_PAYLOAD_HASH,
        new ByteArrayInputStream(TestMedia.h264AacBytes()), Streams.UPLOAD_TIMEOUT);

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.errorType()).startsWith("ResourceNotFoundException");
    assertThat(response.acks()).isEmpty();
  }

  @Test
  void putMedia_streamWithoutRetention_bufferingAndReceivedButNoPersisted() {
    Streams.create(kv, "pm-no-retention", 0);
    List<Long> timecodes = Ffmpeg.clusterTimecodesMs(TestMedia.h264Aac());

    PutMediaClient.Response response = put("pm-no-retention",
        new ByteArrayInputStream(TestMedia.h264AacBytes()));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.acks("BUFFERING")).extracting(Ack::fragmentTimecode)
        .containsExactlyElementsOf(timecodes);
    assertThat(response.acks("RECEIVED")).extracting(Ack::fragmentTimecode)
        .containsExactlyElementsOf(timecodes);
    assertThat(response.acks("PERSISTED")).isEmpty();
    assertThat(response.acks("ERROR")).isEmpty();
  }

  private void isInvalidMkvData(Ack error) {
    assertThat(error.errorId()).isEqualTo(4006);
    assertThat(error.errorCode()).isEqualTo("INVALID_MKV_DATA");
    assertThat(error.json().get("ErrorId").isIntegralNumber()).isTrue();
  }

  private static URI endpoint(String stream) {
    return Streams.dataEndpoint(kv, stream, APIName.PUT_MEDIA);
  }

  private static PutMediaClient.Response put(String stream, InputStream body) {
    return InProcessServer.putMedia(endpoint(stream)).put(
        Target.relative(stream, Instant.now().truncatedTo(ChronoUnit.MILLIS)),
        Signing.EMPTY_PAYLOAD_HASH, body, Streams.UPLOAD_TIMEOUT);
  }

  /** Reports end of stream once released: holds an upload open between two parts of a body. */
  static final class GateInputStream extends InputStream {
    private final CountDownLatch release;

    GateInputStream(CountDownLatch release) {
      this.release = release;
    }

    @Override
    public int read() {
      try {
        if (!release.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("upload never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return read();
    }
  }
}
