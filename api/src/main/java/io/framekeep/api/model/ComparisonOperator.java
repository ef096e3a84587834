package io.framekeep.api.model;

/** ListStreams StreamNameCondition {@code ComparisonOperator}; constant names are the wire values. */
public enum ComparisonOperator {
    BEGINS_WITH
}
