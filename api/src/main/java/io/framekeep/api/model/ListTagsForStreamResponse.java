package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** {@code POST /listTagsForStream} response: tags as a map. */
public record ListTagsForStreamResponse(
        @JsonProperty("NextToken") String nextToken,
        @JsonProperty("Tags") Map<String, String> tags) {
}
