package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One GetImages entry: either {@code imageContent} or {@code error} is set. Note AWS's spelling
 * {@code TimeStamp}.
 *
 * @param timeStamp the sampled instant
 * @param error an {@link ImageError} name, or null
 * @param imageContent base64 of the encoded image, or null
 */
public record Image(
        @JsonProperty("TimeStamp") Instant timeStamp,
        @JsonProperty("Error") String error,
        @JsonProperty("ImageContent") String imageContent) {

    public static Image of(Instant timeStamp, String base64Content) {
        return new Image(timeStamp, null, base64Content);
    }

    public static Image failed(Instant timeStamp, ImageError error) {
        return new Image(timeStamp, error.name(), null);
    }
}
