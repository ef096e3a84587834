package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * {@code POST /ListTagsForResource} response. The model's output member {@code Tags} is a map
 * (ResourceTags), unlike the TagResource input, which is a list of Key/Value.
 */
public record ListTagsForResourceResponse(
        @JsonProperty("NextToken") String nextToken,
        @JsonProperty("Tags") Map<String, String> tags) {
}
