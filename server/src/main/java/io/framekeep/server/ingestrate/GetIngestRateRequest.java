package io.framekeep.server.ingestrate;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.framekeep.api.model.Validation;

/**
 * {@code POST /getIngestRate} request (Framekeep extension, documented in the README beside the AWS
 * operations).
 *
 * @param windowInSeconds how far back from now to count, {@value #MIN_WINDOW_S}..{@value
 *     #MAX_WINDOW_S}; default {@value #DEFAULT_WINDOW_S}
 */
record GetIngestRateRequest(
    @JsonProperty("StreamName") String streamName,
    @JsonProperty("StreamARN") String streamArn,
    @JsonProperty("WindowInSeconds") Integer windowInSeconds) {

  /** 1 s: shorter than one typical fragment, so anything less would mostly read zero. */
  static final int MIN_WINDOW_S = 1;
  /**
   * 10 s: a few fragments of a typical producer (1-2 s each), recent enough that a stopped camera
   * reads zero within seconds.
   */
  static final int DEFAULT_WINDOW_S = 10;
  /** 5 min: "recent"; longer averages belong to ListFragments or the metrics endpoint. */
  static final int MAX_WINDOW_S = 300;

  GetIngestRateRequest validate() {
    new Validation()
        .streamNameOrArn("streamName", streamName, "streamARN", streamArn)
        .rule(windowInSeconds == null
            || (windowInSeconds >= MIN_WINDOW_S && windowInSeconds <= MAX_WINDOW_S),
            "WindowInSeconds must be between " + MIN_WINDOW_S + " and " + MAX_WINDOW_S + ".")
        .throwIfInvalid();
    return this;
  }

  long windowMs() {
    return 1000L * (windowInSeconds == null ? DEFAULT_WINDOW_S : windowInSeconds);
  }
}
