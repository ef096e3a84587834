package io.framekeep.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * ListStreams filter.
 *
 * @param comparisonOperator only {@code BEGINS_WITH}
 * @param comparisonValue a stream-name prefix
 */
public record StreamNameCondition(
        @JsonProperty("ComparisonOperator") String comparisonOperator,
        @JsonProperty("ComparisonValue") String comparisonValue) {

    void check(Validation v, String path) {
        v.enumValue(path + ".comparisonOperator", comparisonOperator, ComparisonOperator.class)
                .streamName(path + ".comparisonValue", comparisonValue);
    }
}
