package io.framekeep.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one table from AWS error wire names to the client's exception types, and the conversions
 * from what the AWS SDK raises (or what a hand-written PutMedia response says) into them.
 *
 * <p>Wire names are written out, not derived from class names, so a renamed class cannot change
 * the mapping. Stateless and thread-safe.
 */
final class ErrorMapping {
  /** Builds one exception type from (message, status, request id, cause). */
  @FunctionalInterface
  private interface Factory {
    KvsException create(String message, int status, String requestId, Throwable cause);
  }

  private static final Map<String, Factory> BY_WIRE_NAME = Map.ofEntries(
      Map.entry("InvalidArgumentException", InvalidArgumentException::new),
      Map.entry("ResourceNotFoundException", ResourceNotFoundException::new),
      Map.entry("NoDataRetentionException", NoDataRetentionException::new),
      Map.entry("UnsupportedStreamMediaTypeException", UnsupportedStreamMediaTypeException::new),
      Map.entry("MissingCodecPrivateDataException", MissingCodecPrivateDataException::new),
      Map.entry("InvalidCodecPrivateDataException", InvalidCodecPrivateDataException::new),
      Map.entry("InvalidMediaFrameException", InvalidMediaFrameException::new),
      Map.entry("ClientLimitExceededException", ClientLimitExceededException::new),
      Map.entry("NotAuthorizedException", NotAuthorizedException::new),
      Map.entry("ConnectionLimitExceededException", ConnectionLimitExceededException::new),
      Map.entry("InvalidEndpointException", InvalidEndpointException::new));

  /** Generic AWS throttling codes that are worth a retry even though no model names them. */
  private static final java.util.Set<String> THROTTLING_CODES =
      java.util.Set.of("ThrottlingException", "Throttling", "TooManyRequestsException",
          "RequestLimitExceeded", "ServiceUnavailable", "SlowDown");

  private ErrorMapping() {}

  /**
   * The exception for an error response.
   *
   * @param rawCode {@code x-amzn-ErrorType} or body {@code __type}; anything after ':' and up to a
   *     '#' is stripped as the SDKs do; null when the response had none
   */
  static KvsException fromResponse(String rawCode, String message, int status, String requestId,
      Throwable cause) {
    String code = normalize(rawCode);
    Factory factory = code == null ? null : BY_WIRE_NAME.get(code);
    if (factory != null) {
      return factory.create(message, status, requestId, cause);
    }
    String name = code != null ? code : "HTTP " + status;
    boolean throttled = code != null && THROTTLING_CODES.contains(code);
    return new KvsException(name, message, status, requestId, cause) {
      private static final long serialVersionUID = 1L;

      @Override
      public boolean isRetryable() {
        return throttled || super.isRetryable();
      }
    };
  }

  /**
   * Converts what an AWS SDK call raised: service errors become {@link KvsException}s, transport
   * failures {@link UncheckedIOException}s.
   */
  static RuntimeException fromSdk(SdkException e) {
    if (e instanceof AwsServiceException service) {
      String code = service.awsErrorDetails() != null ? service.awsErrorDetails().errorCode() : null;
      String message = service.awsErrorDetails() != null
          ? service.awsErrorDetails().errorMessage() : service.getMessage();
      return fromResponse(code, message, service.statusCode(), service.requestId(), e);
    }
    if (e instanceof SdkClientException && e.getCause() instanceof IOException io) {
      return new UncheckedIOException(e.getMessage(), io);
    }
    return new UncheckedIOException(new IOException(e.getMessage(), e));
  }

  static String normalize(String rawCode) {
    if (rawCode == null || rawCode.isBlank()) {
      return null;
    }
    String code = rawCode.trim();
    int colon = code.indexOf(':');
    if (colon >= 0) {
      code = code.substring(0, colon);
    }
    int hash = code.lastIndexOf('#');
    if (hash >= 0) {
      code = code.substring(hash + 1);
    }
    return code.isEmpty() ? null : code;
  }
}
