package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code POST /getImages} response; {@code nextToken} null on the last page. */
public record GetImagesResponse(
        @JsonProperty("Images") List<Image> images,
        @JsonProperty("NextToken") String nextToken) {
}
