package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of a TagResource {@code TagList}; both members required. */
public record Tag(@JsonProperty("Key") String key, @JsonProperty("Value") String value) {
}
