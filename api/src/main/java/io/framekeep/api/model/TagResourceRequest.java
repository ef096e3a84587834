package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code POST /TagResource} request: ResourceARN and Tags (list of Key/Value, 1..50) required. */
public record TagResourceRequest(
        @JsonProperty("ResourceARN") String resourceArn,
        @JsonProperty("Tags") List<Tag> tags) {

    /** Checks the model constraints; throws INVALID_ARGUMENT. */
    public TagResourceRequest validate() {
        Validation v = new Validation()
                .required("resourceARN", resourceArn)
                .streamArn("resourceARN", resourceArn)
                .required("tags", tags);
        if (tags != null) {
            v.tagCount("tags", tags.size());
            int i = 1;
            for (Tag tag : tags) {
                String path = "tags." + i++ + ".member";
                v.required(path, tag);
                if (tag != null) {
                    v.required(path + ".key", tag.key()).tagKey(path + ".key", tag.key())
                            .required(path + ".value", tag.value()).tagValue(path + ".value", tag.value());
                }
            }
        }
        v.throwIfInvalid();
        return this;
    }
}
