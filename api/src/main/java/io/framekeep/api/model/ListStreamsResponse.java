package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code POST /listStreams} response; {@code nextToken} null on the last page. */
public record ListStreamsResponse(
        @JsonProperty("StreamInfoList") List<StreamInfo> streamInfoList,
        @JsonProperty("NextToken") String nextToken) {
}
