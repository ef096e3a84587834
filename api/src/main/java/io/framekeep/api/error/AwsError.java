package io.framekeep.api.error;

/**
 * The one catalogue of errors Framekeep sends on the wire.
 *
 * <p>Each constant carries the exact wire name (sent as the {@code x-amzn-ErrorType} header and
 * the {@code __type} body member) and the HTTP status. Wire names are spelled out explicitly and
 * never derived from the constant name, because the SDKs choose the exception class by this string.
 * Statuses of modelled exceptions are the {@code httpStatusCode} traits of the botocore models
 * (kinesisvideo, kinesis-video-archived-media, kinesis-video-media, API version 2017-09-30);
 * the unmodelled front-door errors follow the KVS "Common Errors" page and generic AWS behaviour.
 *
 * <p>{@link #REQUEST_EXPIRED} is 400 as the KVS Common Errors page states. Both botocore and the
 * Java v2 SDK classify the code {@code RequestExpired} as a clock-skew error by its name, not by
 * its status, so they adjust their clock offset and retry either way.
 *
 * <p>Immutable and thread-safe.
 */
public enum AwsError {
    INVALID_ARGUMENT("InvalidArgumentException", 400),
    RESOURCE_NOT_FOUND("ResourceNotFoundException", 404),
    RESOURCE_IN_USE("ResourceInUseException", 400),
    CLIENT_LIMIT_EXCEEDED("ClientLimitExceededException", 400),
    CONNECTION_LIMIT_EXCEEDED("ConnectionLimitExceededException", 400),
    NOT_AUTHORIZED("NotAuthorizedException", 401),
    ACCESS_DENIED("AccessDeniedException", 401),
    VERSION_MISMATCH("VersionMismatchException", 400),
    ACCOUNT_STREAM_LIMIT_EXCEEDED("AccountStreamLimitExceededException", 400),
    TAGS_PER_RESOURCE_EXCEEDED_LIMIT("TagsPerResourceExceededLimitException", 400),
    INVALID_RESOURCE_FORMAT("InvalidResourceFormatException", 400),
    NO_DATA_RETENTION("NoDataRetentionException", 400),
    UNSUPPORTED_STREAM_MEDIA_TYPE("UnsupportedStreamMediaTypeException", 400),
    MISSING_CODEC_PRIVATE_DATA("MissingCodecPrivateDataException", 400),
    INVALID_CODEC_PRIVATE_DATA("InvalidCodecPrivateDataException", 400),
    INVALID_MEDIA_FRAME("InvalidMediaFrameException", 400),
    INVALID_ENDPOINT("InvalidEndpointException", 400),
    /** The request body is not parsable JSON or a member has the wrong JSON type. */
    SERIALIZATION("SerializationException", 400),
    /** No operation is bound to the request path. */
    UNKNOWN_OPERATION("UnknownOperationException", 404),
    /** A bug in Framekeep; bad input never maps here. */
    INTERNAL_FAILURE("InternalFailure", 500),
    /**
     * A storage engine the server depends on is unreachable (cluster mode: PostgreSQL or the object
     * store); retrying later may succeed. KVS Common Errors: "ServiceUnavailable, the request has
     * failed due to a temporary failure of the server", 503, which botocore and the Java v2 SDK
     * retry with backoff as a transient error.
     */
    SERVICE_UNAVAILABLE("ServiceUnavailable", 503),
    INCOMPLETE_SIGNATURE("IncompleteSignatureException", 403),
    INVALID_SIGNATURE("InvalidSignatureException", 403),
    UNRECOGNIZED_CLIENT("UnrecognizedClientException", 403),
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationTokenException", 403),
    /** Request time more than 15 minutes away from the server clock (see class comment). */
    REQUEST_EXPIRED("RequestExpired", 400);

    private final String wireName;
    private final int httpStatus;

    AwsError(String wireName, int httpStatus) {
        this.wireName = wireName;
        this.httpStatus = httpStatus;
    }

    /** The error code as SDKs see it, e.g. {@code ResourceNotFoundException}. */
    public String wireName() {
        return wireName;
    }

    /** The HTTP status code of the error response. */
    public int httpStatus() {
        return httpStatus;
    }
}
