package io.framekeep.client;

import java.time.Instant;

/** A stream as DescribeStream / ListStreams describe it. */
public record StreamSummary(String streamName, String streamArn, String status, String mediaType,
    int dataRetentionInHours, Instant creationTime) {}
