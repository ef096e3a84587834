package io.framekeep.api.model;

/**
 * The {@code {}} body of operations without output members (UpdateStream, DeleteStream,
 * UpdateDataRetention, TagStream, UntagStream, TagResource, UntagResource).
 */
public record EmptyResponse() {

    public static final EmptyResponse INSTANCE = new EmptyResponse();
}
