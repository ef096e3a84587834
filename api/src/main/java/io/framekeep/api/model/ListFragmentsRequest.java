package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /listFragments} request (kinesis-video-archived-media).
 *
 * @param maxResults 1..1000
 * @param nextToken 1..4096 padded base64 from a previous response
 * @param fragmentSelector required unless {@code nextToken} is given
 */
public record ListFragmentsRequest(
        @JsonProperty("StreamName") String streamName,
        @JsonProperty("StreamARN") String streamArn,
        @JsonProperty("MaxResults") Long maxResults,
        @JsonProperty("NextToken") String nextToken,
        @JsonProperty("FragmentSelector") FragmentSelector fragmentSelector) {

    /** Page size when MaxResults is absent: the maximum (the service default is not documented). */
    public static final long DEFAULT_MAX_RESULTS = Validation.LIST_FRAGMENTS_MAX_RESULTS;

    /**
     * Checks the model constraints, the name-or-ARN rule, that a selector is given when there is
     * no NextToken, and that the range does not end before it starts; throws INVALID_ARGUMENT.
     */
    public ListFragmentsRequest validate() {
        Validation v = new Validation()
                .streamNameOrArn("streamName", streamName, "streamARN", streamArn)
                .listFragmentsMaxResults("maxResults", maxResults)
                .archivedNextToken("nextToken", nextToken);
        if (fragmentSelector == null) {
            v.rule(nextToken != null, "FragmentSelector is required when NextToken is not specified.");
        } else {
            String path = "fragmentSelector";
            v.required(path + ".fragmentSelectorType", fragmentSelector.fragmentSelectorType())
                    .enumValue(path + ".fragmentSelectorType", fragmentSelector.fragmentSelectorType(),
                            FragmentSelectorType.class)
                    .required(path + ".timestampRange", fragmentSelector.timestampRange());
            TimestampRange range = fragmentSelector.timestampRange();
            if (range != null) {
                v.required(path + ".timestampRange.startTimestamp", range.startTimestamp())
                        .required(path + ".timestampRange.endTimestamp", range.endTimestamp());
                if (range.startTimestamp() != null && range.endTimestamp() != null) {
                    v.rule(!range.endTimestamp().isBefore(range.startTimestamp()),
                            "The EndTimestamp must not be earlier than the StartTimestamp.");
                }
            }
        }
        v.throwIfInvalid();
        return this;
    }

    /** The page size to use. */
    public long maxResultsOrDefault() {
        return maxResults == null ? DEFAULT_MAX_RESULTS : maxResults;
    }
}
