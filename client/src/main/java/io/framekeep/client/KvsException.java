package io.framekeep.client;

/**
 * An error answered by the service (Framekeep or Amazon Kinesis Video Streams), or a request the
 * client refused to send because it would certainly be rejected. Each modelled AWS error has its
 * own subclass (see {@link ErrorMapping}); an error code the client does not know arrives as this
 * class with {@link #errorCode()} set.
 *
 * <p>Unchecked, like the AWS SDK's own exceptions. Immutable.
 */
public class KvsException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** HTTP status of a rejected request; 0 when the request was never sent. */
  private final int statusCode;
  private final String errorCode;
  private final String requestId;

  public KvsException(String errorCode, String message, int statusCode, String requestId,
      Throwable cause) {
    super(message, cause);
    this.errorCode = errorCode;
    this.statusCode = statusCode;
    this.requestId = requestId;
  }

  /** The wire name of the error, e.g. {@code ResourceNotFoundException}. */
  public String errorCode() {
    return errorCode;
  }

  /** The HTTP status, or 0 when the client rejected the request before sending it. */
  public int statusCode() {
    return statusCode;
  }

  /** The service's request id ({@code x-amzn-RequestId}), or null. */
  public String requestId() {
    return requestId;
  }

  /** True for errors worth retrying after a pause: throttling and 5xx server failures. */
  public boolean isRetryable() {
    return statusCode >= 500;
  }
}
