package io.framekeep.api.error;

import java.util.Objects;

/**
 * An AWS error to be returned to the caller: one {@link AwsError} plus the human-readable message
 * that goes into the response body.
 *
 * <p>Unchecked because it crosses every layer of request handling and always ends as an error
 * response; the server maps it with {@link ErrorResponses}. No stack trace is captured, since
 * these are expected outcomes of bad input rather than bugs.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final AwsError error;

    protected ApiException(AwsError error, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.error = Objects.requireNonNull(error, "error");
    }

    /** An error of the given kind with the given message. */
    public static ApiException of(AwsError error, String message) {
        return new ApiException(error, message);
    }

    /** {@code InvalidArgumentException} (400). */
    public static ApiException invalidArgument(String message) {
        return new ApiException(AwsError.INVALID_ARGUMENT, message);
    }

    /** {@code ResourceNotFoundException} (404). */
    public static ApiException resourceNotFound(String message) {
        return new ApiException(AwsError.RESOURCE_NOT_FOUND, message);
    }

    /** Which AWS error this is. */
    public AwsError error() {
        return error;
    }

    @Override
    public String toString() {
        return error.wireName() + ": " + getMessage();
    }
}
