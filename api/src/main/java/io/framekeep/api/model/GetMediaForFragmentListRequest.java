package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code POST /getMediaForFragmentList} request (kinesis-video-archived-media). The response is
 * an MKV body of one chunk per fragment, in request order ({@link GetMediaRequest#CONTENT_TYPE}).
 *
 * @param fragments 1..1000 fragment numbers, each 1..128 decimal digits
 */
public record GetMediaForFragmentListRequest(
        @JsonProperty("StreamName") String streamName,
        @JsonProperty("StreamARN") String streamArn,
        @JsonProperty("Fragments") List<String> fragments) {

    /** Fragments: at most 1000 per request (model list maximum; hard quota). */
    public static final int MAX_FRAGMENTS = 1000;

    /** Checks the model constraints and the name-or-ARN rule; throws INVALID_ARGUMENT. */
    public GetMediaForFragmentListRequest validate() {
        Validation v = new Validation()
                .streamNameOrArn("streamName", streamName, "streamARN", streamArn)
                .required("fragments", fragments);
        if (fragments != null) {
            v.rule(!fragments.isEmpty(), "1 validation error detected: Value '[]' at 'fragments'"
                    + " failed to satisfy constraint: Member must have length greater than or equal to 1");
            v.rule(fragments.size() <= MAX_FRAGMENTS, "1 validation error detected: Value at"
                    + " 'fragments' failed to satisfy constraint: Member must have length less than or"
                    + " equal to " + MAX_FRAGMENTS);
            if (fragments.size() <= MAX_FRAGMENTS) {
                for (int i = 0; i < fragments.size(); i++) {
                    String path = "fragments." + (i + 1) + ".member";
                    v.required(path, fragments.get(i)).fragmentNumber(path, fragments.get(i));
                }
            }
        }
        v.throwIfInvalid();
        return this;
    }
}
