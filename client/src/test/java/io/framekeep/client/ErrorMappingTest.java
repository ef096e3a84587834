package io.framekeep.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelector;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipTimestampRange;

/** Error mapping, client-side validation, retries and the endpoint cache, without a server. */
class ErrorMappingTest {
  @ParameterizedTest
  @CsvSource({
      "InvalidArgumentException, 400, InvalidArgumentException",
      "ResourceNotFoundException, 404, ResourceNotFoundException",
      "NoDataRetentionException, 400, NoDataRetentionException",
      "UnsupportedStreamMediaTypeException, 400, UnsupportedStreamMediaTypeException",
      "MissingCodecPrivateDataException, 400, MissingCodecPrivateDataException",
      "InvalidCodecPrivateDataException, 400, InvalidCodecPrivateDataException",
      "InvalidMediaFrameException, 400, InvalidMediaFrameException",
      "ClientLimitExceededException, 400, ClientLimitExceededException",
      "NotAuthorizedException, 401, NotAuthorizedException",
      "'ResourceNotFoundException:http://internal.amazon.com/x', 404, ResourceNotFoundException",
      "'com.amazon.kinesisvideo#NoDataRetentionException', 400, NoDataRetentionException"})
  void fromResponse_getClipErrors_ownTypeWithMessage(String wire, int status, String type) {
    KvsException e = ErrorMapping.fromResponse(wire, "the message", status, "req-1", null);
    assertThat(e.getClass().getSimpleName()).isEqualTo(type);
    assertThat(e.getMessage()).isEqualTo("the message");
    assertThat(e.statusCode()).isEqualTo(status);
    assertThat(e.requestId()).isEqualTo("req-1");
    assertThat(e.errorCode()).isEqualTo(type);
  }

  @Test
  void fromResponse_unknownCode_genericWithCode() {
    KvsException e = ErrorMapping.fromResponse("ThrottlingException", "slow down", 400, null, null);
    assertThat(e.getClass()).isNotEqualTo(ClientLimitExceededException.class);
    assertThat(e.errorCode()).isEqualTo("ThrottlingException");
    assertThat(e.isRetryable()).isTrue();
    assertThat(ErrorMapping.fromResponse(null, "x", 503, null, null).isRetryable()).isTrue();
    assertThat(ErrorMapping.fromResponse("InvalidArgumentException", "x", 400, null, null)
        .isRetryable()).isFalse();
  }

  static FramekeepClient offline() {
    return FramekeepClient.builder().endpoint(URI.create("http://127.0.0.1:9"))
        .credentialsProvider(AnonymousCredentialsProvider.create()).maxAttempts(1).build();
  }

  static ClipFragmentSelector selector() {
    Instant t = Instant.parse("2024-01-01T00:00:00Z");
    return ClipFragmentSelector.builder().fragmentSelectorType("PRODUCER_TIMESTAMP")
        .timestampRange(ClipTimestampRange.builder().startTimestamp(t)
            .endTimestamp(t.plusSeconds(60)).build()).build();
  }

  @Test
  void getClip_invalidRequests_rejectedBeforeSending() {
    try (FramekeepClient c = offline()) {
      assertThatThrownBy(() -> c.getClip(null, null, "cam1"))
          .isInstanceOfSatisfying(InvalidArgumentException.class,
              e -> assertThat(e.statusCode()).isZero())
          .hasMessageContaining("ClipFragmentSelector");
      assertThatThrownBy(() -> c.getClip(selector(), null, null))
          .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("StreamName or StreamARN");
      assertThatThrownBy(() -> c.getClip(selector(), null, "bad name!"))
          .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("[a-zA-Z0-9_.-]+");
      assertThatThrownBy(() -> c.getClip(selector(), null, "x".repeat(257)))
          .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("1 to 256");
      assertThatThrownBy(() -> c.getClip(selector(), "a".repeat(1025), null))
          .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("1 to 1024");
      assertThatThrownBy(() -> c.getClip(selector(), "", null))
          .isInstanceOf(InvalidArgumentException.class);
      assertThatThrownBy(() -> c.getClip(ClipFragmentSelector.builder()
          .fragmentSelectorType("SERVER_TIMESTAMP").build(), null, "cam1"))
          .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("TimestampRange");
      // A valid request goes out: nothing listens on port 9, so it fails with I/O.
      assertThatThrownBy(() -> c.getClip(selector(), null, "x".repeat(256)))
          .isInstanceOf(java.io.UncheckedIOException.class);
    }
  }

  @Test
  void retrier_throttledThenOk_retriesWithBackoff() {
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger pauses = new AtomicInteger();
    Retrier r = new Retrier(3, d -> pauses.incrementAndGet());
    String v = r.call(() -> {
      if (calls.incrementAndGet() < 3) {
        throw new ClientLimitExceededException("busy", 400, null, null);
      }
      return "ok";
    }, () -> { });
    assertThat(v).isEqualTo("ok");
    assertThat(pauses).hasValue(2);
  }

  @Test
  void retrier_notRetryable_failsAtOnce() {
    AtomicInteger calls = new AtomicInteger();
    Retrier r = new Retrier(5, d -> { });
    assertThatThrownBy(() -> r.call(() -> {
      calls.incrementAndGet();
      throw new ResourceNotFoundException("gone", 404, null, null);
    }, () -> { })).isInstanceOf(ResourceNotFoundException.class);
    assertThat(calls).hasValue(1);
  }

  @Test
  void endpointCache_hitExpiryAndInvalidate_looksUpOnlyWhenNeeded() {
    AtomicInteger lookups = new AtomicInteger();
    Instant[] now = {Instant.parse("2024-01-01T00:00:00Z")};
    Clock clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now[0];
      }
    };
    EndpointCache cache = new EndpointCache(k -> URI.create("http://h/" + lookups.incrementAndGet()),
        clock, Duration.ofMinutes(45));
    EndpointCache.Key clip = new EndpointCache.Key("cam1", null, "GET_CLIP");
    EndpointCache.Key list = new EndpointCache.Key("cam1", null, "LIST_FRAGMENTS");
    assertThat(cache.get(clip)).isEqualTo(cache.get(clip));
    assertThat(lookups).hasValue(1);
    cache.get(list);
    assertThat(lookups).hasValue(2);
    now[0] = now[0].plus(Duration.ofMinutes(46));
    cache.get(clip);
    assertThat(lookups).hasValue(3);
    cache.invalidate(clip);
    cache.get(clip);
    assertThat(lookups).hasValue(4);
  }
}
