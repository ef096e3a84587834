package io.framekeep.client;

import java.util.regex.Pattern;

/**
 * The client-side checks the AWS SDKs make before sending (presence, lengths, the stream-name
 * pattern), so an obviously bad request fails at once with {@link InvalidArgumentException}
 * (status 0: never sent) instead of costing a round trip. Stateless.
 */
final class Validation {
  /** StreamName: 1..256 characters (KVS model). */
  static final int MAX_STREAM_NAME_CHARS = 256;
  /** StreamARN: 1..1024 characters (KVS model). */
  static final int MAX_STREAM_ARN_CHARS = 1024;
  private static final Pattern STREAM_NAME = Pattern.compile("[a-zA-Z0-9_.-]+");

  private Validation() {}

  /** Exactly the AWS rule for data-plane calls: at least one of name or ARN, each well-formed. */
  static void streamNameOrArn(String streamName, String streamArn) {
    if (streamName == null && streamArn == null) {
      throw invalid("One of StreamName or StreamARN is required.");
    }
    if (streamName != null) {
      streamName(streamName);
    }
    if (streamArn != null && (streamArn.isEmpty() || streamArn.length() > MAX_STREAM_ARN_CHARS)) {
      throw invalid("StreamARN must be 1 to " + MAX_STREAM_ARN_CHARS + " characters long.");
    }
  }

  static void streamName(String streamName) {
    if (streamName == null || streamName.isEmpty() || streamName.length() > MAX_STREAM_NAME_CHARS) {
      throw invalid("StreamName must be 1 to " + MAX_STREAM_NAME_CHARS + " characters long.");
    }
    if (!STREAM_NAME.matcher(streamName).matches()) {
      throw invalid("StreamName '" + streamName + "' must match [a-zA-Z0-9_.-]+.");
    }
  }

  static void required(Object value, String member) {
    if (value == null) {
      throw invalid(member + " is required.");
    }
  }

  static InvalidArgumentException invalid(String message) {
    return new InvalidArgumentException(message, 0, null, null);
  }
}
