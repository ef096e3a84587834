package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code POST /listFragments} response; {@code nextToken} null on the last page. */
public record ListFragmentsResponse(
        @JsonProperty("Fragments") List<Fragment> fragments,
        @JsonProperty("NextToken") String nextToken) {
}
