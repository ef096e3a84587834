package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /listStreams} request.
 *
 * @param maxResults 1..10000, default 10000
 * @param nextToken 0..1024 base64 characters from a previous response
 */
public record ListStreamsRequest(
        @JsonProperty("MaxResults") Integer maxResults,
        @JsonProperty("NextToken") String nextToken,
        @JsonProperty("StreamNameCondition") StreamNameCondition streamNameCondition) {

    /** Default and maximum page size. */
    public static final int DEFAULT_MAX_RESULTS = Validation.LIST_STREAMS_MAX_RESULTS;

    /** Checks the model constraints; throws INVALID_ARGUMENT. */
    public ListStreamsRequest validate() {
        Validation v = new Validation()
                .listStreamsMaxResults("maxResults", maxResults)
                .nextToken("nextToken", nextToken);
        if (streamNameCondition != null) {
            streamNameCondition.check(v, "streamNameCondition");
        }
        v.throwIfInvalid();
        return this;
    }

    /** The page size to use. */
    public int maxResultsOrDefault() {
        return maxResults == null ? DEFAULT_MAX_RESULTS : maxResults;
    }
}
