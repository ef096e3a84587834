package io.framekeep.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

class SigV4VerifierTest {

    private static final String ACCESS_KEY = "AKIDEXAMPLE";
    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final Instant SIGNED_AT = Instant.parse("2026-11-26T12:00:00Z");
    private static final Clock SIGNING_CLOCK = Clock.fixed(SIGNED_AT, ZoneOffset.UTC);
    private static final String GET_CLIP_BODY = "{\"StreamName\":\"cam1\",\"ClipFragmentSelector\":"
            + "{\"FragmentSelectorType\":\"SERVER_TIMESTAMP\",\"TimestampRange\":"
            + "{\"StartTimestamp\":1704067200,\"EndTimestamp\":1704067260}}}";

    private static final CredentialStore STORE =
            id -> id.equals(ACCESS_KEY) ? Optional.of(SECRET_KEY) : Optional.empty();

    private final SigV4Verifier verifier = verifierAt(SIGNED_AT.plusSeconds(30));

    // ---- requests signed by the AWS SDK for Java v2 signer ----

    @Test
    void verify_javaSignedJsonPost_acceptsAndReportsRegion() {
        SignedRequest request = javaSigned("http://localhost:4566/getClip", GET_CLIP_BODY, null, false);

        VerifiedCaller caller = verifier.verify(request);

        assertThat(caller).isEqualTo(new VerifiedCaller(ACCESS_KEY, "us-west-2"));
    }

    @Test
    void verify_javaSignedJsonPostWithTamperedBody_throwsInvalidSignature() {
        SignedRequest signed = javaSigned("http://localhost:4566/getClip", GET_CLIP_BODY, null, false);
        SignedRequest tampered = new SignedRequest(signed.method(), signed.rawPath(), signed.rawQuery(),
                signed.headers(), sha256Hex(GET_CLIP_BODY.replace("cam1", "cam2")));

        assertThatThrownBy(() -> verifier.verify(tampered))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(AwsError.INVALID_SIGNATURE));
    }

    @Test
    void verify_javaSignedCapitalisedPath_accepts() {
        SignedRequest request = javaSigned("http://localhost:4566/TagResource", "{}", null, false);

        assertThat(verifier.verify(request).accessKeyId()).isEqualTo(ACCESS_KEY);
    }

    @Test
    void verify_javaSignedPathNeedingEncoding_acceptsDoubleEncodedCanonicalUri() {
        SignedRequest request = javaSigned("http://localhost:4566/a%20b/getClip", "{}", null, false);

        assertThat(request.rawPath()).isEqualTo("/a%20b/getClip");
        assertThat(verifier.verify(request).region()).isEqualTo("us-west-2");
    }

    @Test
    void verify_javaSignedStreamedBodyWithEmptyPayloadHash_accepts() {
        // The Java v2 signer declares the empty-string hash in x-amz-content-sha256; the body is streamed.
        SignedRequest signed = javaSigned("http://localhost:4566/putMedia", null, null, false);
        SignedRequest streamed = withPayloadHash(signed, null);

        assertThat(streamed.headers().get("x-amz-content-sha256")).containsExactly(SigV4Verifier.EMPTY_SHA256);
        assertThat(verifier.verify(streamed).accessKeyId()).isEqualTo(ACCESS_KEY);
    }

    @Test
    void verify_javaSignedStreamedBodyWithUnsignedPayload_accepts() {
        SignedRequest signed = javaSigned("https://localhost:4566/putMedia", "mkv bytes", null, true);
        SignedRequest streamed = withPayloadHash(signed, null);

        assertThat(streamed.headers().get("x-amz-content-sha256")).containsExactly("UNSIGNED-PAYLOAD");
        assertThat(verifier.verify(streamed).accessKeyId()).isEqualTo(ACCESS_KEY);
    }

    @Test
    void verify_javaSignedWithStreamingPayloadDeclaration_acceptsWithoutCheckingChunks() {
        SignedRequest signed = javaSigned("http://localhost:4566/putMedia", "mkv bytes", null, false,
                "kinesisvideo", true);
        SignedRequest streamed = withPayloadHash(signed, null);

        assertThat(streamed.headers().get("x-amz-content-sha256")).containsExactly(SigV4Verifier.STREAMING_PAYLOAD);
        assertThat(verifier.verify(streamed).accessKeyId()).isEqualTo(ACCESS_KEY);
    }

    @Test
    void verify_javaPresignedQuery_accepts() {
        SignedRequest request = javaSigned("http://localhost:4566/putMedia", null, Duration.ofMinutes(5), false);
        SignedRequest streamed = withPayloadHash(request, null);

        assertThat(streamed.rawQuery()).contains("X-Amz-Signature=");
        assertThat(verifier.verify(streamed).region()).isEqualTo("us-west-2");
    }

    @Test
    void verify_javaPresignedQueryAfterExpiry_throwsRequestExpired() {
        SignedRequest request = withPayloadHash(
                javaSigned("http://localhost:4566/putMedia", null, Duration.ofMinutes(5), false), null);

        assertThatThrownBy(() -> verifierAt(SIGNED_AT.plusSeconds(301)).verify(request))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(AwsError.REQUEST_EXPIRED));
    }

    @Test
    void verify_requestSignedSixteenMinutesAgo_throwsRequestExpired() {
        SignedRequest request = javaSigned("http://localhost:4566/getClip", GET_CLIP_BODY, null, false);

        assertThatThrownBy(() -> verifierAt(SIGNED_AT.plus(Duration.ofMinutes(16))).verify(request))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isEqualTo(AwsError.REQUEST_EXPIRED);
                    assertThat(e.getMessage()).startsWith("Signature expired: 20261126T120000Z");
                });
    }

    @Test
    void verify_requestSignedSixteenMinutesInTheFuture_throwsRequestExpired() {
        SignedRequest request = javaSigned("http://localhost:4566/getClip", GET_CLIP_BODY, null, false);

        assertThatThrownBy(() -> verifierAt(SIGNED_AT.minus(Duration.ofMinutes(16))).verify(request))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(AwsError.REQUEST_EXPIRED));
    }

    @Test
    void verify_requestSignedFourteenMinutesAgo_accepts() {
        SignedRequest request = javaSigned("http://localhost:4566/getClip", GET_CLIP_BODY, null, false);

        assertThat(verifierAt(SIGNED_AT.plus(Duration.ofMinutes(14))).verify(request)).isNotNull();
    }

    @Test
    void verify_unknownAccessKey_throwsUnrecognizedClient() {
        SignedRequest request = javaSigned("http://localhost:4566/getClip", GET_CLIP_BODY, null, false);
        SigV4Verifier noKeys = new SigV4Verifier(id -> Optional.empty(), Clock.fixed(SIGNED_AT, ZoneOffset.UTC));

        assertThatThrownBy(() -> noKeys.verify(request))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isEqualTo(AwsError.UNRECOGNIZED_CLIENT);
                    assertThat(e.getMessage()).isEqualTo("The security token included in the request is invalid.");
                });
    }

    @Test
    void verify_wrongSecretKey_throwsInvalidSignature() {
        SignedRequest request = javaSigned("http://localhost:4566/getClip", GET_CLIP_BODY, null, false);
        SigV4Verifier other = new SigV4Verifier(id -> Optional.of("another-secret"),
                Clock.fixed(SIGNED_AT, ZoneOffset.UTC));

        assertThatThrownBy(() -> other.verify(request))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(AwsError.INVALID_SIGNATURE));
    }

    @Test
    void verify_otherServiceInScope_throwsInvalidSignature() {
        SignedRequest request = javaSigned("http://localhost:4566/getClip", GET_CLIP_BODY, null, false, "kinesis");

        assertThatThrownBy(() -> verifier.verify(request))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isEqualTo(AwsError.INVALID_SIGNATURE);
                    assertThat(e.getMessage()).contains("'kinesisvideo'");
                });
    }

    @Test
    void verify_declaredContentHashDiffersFromBody_throwsInvalidSignature() {
        SignedRequest signed = javaSigned("http://localhost:4566/getClip", GET_CLIP_BODY, null, false);
        Map<String, List<String>> headers = new LinkedHashMap<>(signed.headers());
        headers.put("x-amz-content-sha256", List.of(sha256Hex("other")));
        SignedRequest request = new SignedRequest(signed.method(), signed.rawPath(), signed.rawQuery(), headers,
                signed.payloadSha256Hex());

        assertThatThrownBy(() -> verifier.verify(request))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(AwsError.INVALID_SIGNATURE));
    }

    // ---- malformed or missing signatures ----

    @Test
    void verify_noAuthorization_throwsMissingAuthenticationToken() {
        SignedRequest request = new SignedRequest("POST", "/getClip", null,
                Map.of("host", List.of("localhost:4566")), sha256Hex("{}"));

        assertThatThrownBy(() -> verifier.verify(request))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(AwsError.MISSING_AUTHENTICATION_TOKEN));
    }

    @Test
    void verify_authorizationWithoutSignature_throwsIncompleteSignature() {
        SignedRequest request = new SignedRequest("POST", "/getClip", null, Map.of(
                "host", List.of("localhost:4566"),
                "x-amz-date", List.of("20261126T120000Z"),
                "authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-west-2/kinesisvideo/"
                        + "aws4_request, SignedHeaders=host;x-amz-date")), sha256Hex("{}"));

        assertThatThrownBy(() -> verifier.verify(request))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isEqualTo(AwsError.INCOMPLETE_SIGNATURE);
                    assertThat(e.getMessage()).contains("'Signature'");
                });
    }

    @Test
    void verify_otherAuthorizationScheme_throwsIncompleteSignature() {
        SignedRequest request = new SignedRequest("POST", "/getClip", null, Map.of(
                "host", List.of("localhost:4566"), "authorization", List.of("Bearer abc")), null);

        assertThatThrownBy(() -> verifier.verify(request))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(AwsError.INCOMPLETE_SIGNATURE));
    }

    @Test
    void verify_credentialWithTooFewElements_throwsIncompleteSignature() {
        SignedRequest request = new SignedRequest("POST", "/getClip", null, Map.of(
                "host", List.of("localhost:4566"),
                "x-amz-date", List.of("20261126T120000Z"),
                "authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-west-2,"
                        + " SignedHeaders=host;x-amz-date, Signature=00")), sha256Hex("{}"));

        assertThatThrownBy(() -> verifier.verify(request))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(AwsError.INCOMPLETE_SIGNATURE));
    }

    // ---- requests signed by botocore ----

    /*
     * Fixture made with botocore 1.43.11, with this script:
     *
     *   import datetime, json, botocore.auth
     *   from unittest import mock
     *   from botocore.awsrequest import AWSRequest
     *   from botocore.credentials import Credentials
     *   fixed = datetime.datetime(2026, 11, 26, 12, 0, 0)
     *   body = json.dumps({"StreamName": "cam1", "ClipFragmentSelector": {"FragmentSelectorType":
     *       "SERVER_TIMESTAMP", "TimestampRange": {"StartTimestamp": 1704067200, "EndTimestamp": 1704067260}}},
     *       separators=(",", ":"))
     *   req = AWSRequest(method="POST", url="http://localhost:4566/getClip", data=body,
     *       headers={"Content-Type": "application/json"})
     *   with mock.patch("botocore.auth.get_current_datetime", return_value=fixed):
     *       botocore.auth.SigV4Auth(Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
     *           "kinesisvideo", "us-west-2").add_auth(req)
     *   print(body)
     *   for k, v in req.headers.items(): print(k + ": " + v)
     */
    private static final String BOTOCORE_AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/"
            + "us-west-2/kinesisvideo/aws4_request, SignedHeaders=content-type;host;x-amz-date,"
            + " Signature=4ee2c2c4a7f5bc715ec9a66e6eab72e83b5296f3cd9fbceead79897489184e52";

    /*
     * Fixture made with botocore 1.43.11, with the imports and clock patch above and:
     *
     *   req = AWSRequest(method="POST", url="http://localhost:4566/putMedia", headers={"x-amzn-stream-name": "cam1"})
     *   with mock.patch("botocore.auth.get_current_datetime", return_value=fixed):
     *       botocore.auth.SigV4QueryAuth(Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
     *           "kinesisvideo", "us-west-2", expires=300).add_auth(req)
     *   print(req.url)
     */
    private static final String BOTOCORE_PRESIGNED_QUERY = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential="
            + "AKIDEXAMPLE%2F20261126%2Fus-west-2%2Fkinesisvideo%2Faws4_request&X-Amz-Date=20261126T120000Z"
            + "&X-Amz-Expires=300&X-Amz-SignedHeaders=host%3Bx-amzn-stream-name"
            + "&X-Amz-Signature=7c9b2c41f5c3cfbff9dea32177ce255bd0fb06c6c27ffbf25b49835225afd5af";

    @Test
    void verify_botocoreSignedJsonPost_accepts() {
        SignedRequest request = new SignedRequest("POST", "/getClip", null, Map.of(
                "content-type", List.of("application/json"),
                "host", List.of("localhost:4566"),
                "x-amz-date", List.of("20261126T120000Z"),
                "authorization", List.of(BOTOCORE_AUTHORIZATION)), sha256Hex(GET_CLIP_BODY));

        assertThat(verifier.verify(request)).isEqualTo(new VerifiedCaller(ACCESS_KEY, "us-west-2"));
    }

    /*
     * Fixture made with botocore 1.43.11, with the imports and clock patch above; no body,
     * so the empty-string hash is signed and no x-amz-content-sha256 header is sent, as the producer SDKs do:
     *
     *   req = AWSRequest(method="POST", url="http://localhost:4566/putMedia", headers={
     *       "x-amzn-stream-name": "cam1", "x-amzn-fragment-timecode-type": "RELATIVE",
     *       "x-amzn-producer-start-timestamp": "1700000000.123", "transfer-encoding": "chunked",
     *       "user-agent": "producer"})
     *   with mock.patch("botocore.auth.get_current_datetime", return_value=fixed):
     *       botocore.auth.SigV4Auth(Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
     *           "kinesisvideo", "us-west-2").add_auth(req)
     *   for k, v in req.headers.items(): print(k + ": " + v)
     */
    private static final String BOTOCORE_PUT_MEDIA_AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"
            + "20261126/us-west-2/kinesisvideo/aws4_request, SignedHeaders=host;x-amz-date;"
            + "x-amzn-fragment-timecode-type;x-amzn-producer-start-timestamp;x-amzn-stream-name,"
            + " Signature=27814ea0afbecad004da6bc8d385e310ec78de773394e05f7dec0a22b5cbd31b";

    @Test
    void verify_botocoreSignedStreamedPutMediaWithoutContentHashHeader_acceptsEmptyPayloadHash() {
        SignedRequest request = new SignedRequest("POST", "/putMedia", null, Map.of(
                "host", List.of("localhost:4566"),
                "x-amz-date", List.of("20261126T120000Z"),
                "x-amzn-stream-name", List.of("cam1"),
                "x-amzn-fragment-timecode-type", List.of("RELATIVE"),
                "x-amzn-producer-start-timestamp", List.of("1700000000.123"),
                "transfer-encoding", List.of("chunked"),
                "authorization", List.of(BOTOCORE_PUT_MEDIA_AUTHORIZATION)), null);

        assertThat(verifier.verify(request)).isEqualTo(new VerifiedCaller(ACCESS_KEY, "us-west-2"));
    }

    @Test
    void verify_botocoreSignedPutMediaWithStreamingPayloadDeclared_throwsInvalidSignature() {
        // Declaring STREAMING-AWS4-HMAC-SHA256-PAYLOAD changes the canonical request the signature must cover.
        SignedRequest request = new SignedRequest("POST", "/putMedia", null, Map.of(
                "host", List.of("localhost:4566"),
                "x-amz-date", List.of("20261126T120000Z"),
                "x-amz-content-sha256", List.of(SigV4Verifier.STREAMING_PAYLOAD),
                "x-amzn-stream-name", List.of("cam1"),
                "x-amzn-fragment-timecode-type", List.of("RELATIVE"),
                "x-amzn-producer-start-timestamp", List.of("1700000000.123"),
                "authorization", List.of(BOTOCORE_PUT_MEDIA_AUTHORIZATION)), null);

        assertThatThrownBy(() -> verifier.verify(request))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isEqualTo(AwsError.INVALID_SIGNATURE);
                    assertThat(e.getMessage()).startsWith("The request signature we calculated does not match")
                            .contains("\n" + SigV4Verifier.STREAMING_PAYLOAD + "'");
                });
    }

    @Test
    void verify_botocoreSignedJsonPostWithOtherBody_throwsInvalidSignature() {
        SignedRequest request = new SignedRequest("POST", "/getClip", null, Map.of(
                "content-type", List.of("application/json"),
                "host", List.of("localhost:4566"),
                "x-amz-date", List.of("20261126T120000Z"),
                "authorization", List.of(BOTOCORE_AUTHORIZATION)), sha256Hex("{}"));

        assertThatThrownBy(() -> verifier.verify(request))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(AwsError.INVALID_SIGNATURE));
    }

    @Test
    void verify_botocorePresignedStreamedPost_accepts() {
        SignedRequest request = new SignedRequest("POST", "/putMedia", BOTOCORE_PRESIGNED_QUERY, Map.of(
                "host", List.of("localhost:4566"),
                "x-amzn-stream-name", List.of("cam1"),
                "transfer-encoding", List.of("chunked")), null);

        assertThat(verifier.verify(request).accessKeyId()).isEqualTo(ACCESS_KEY);
    }

    @Test
    void verify_botocorePresignedWithChangedSignedHeader_throwsInvalidSignature() {
        SignedRequest request = new SignedRequest("POST", "/putMedia", BOTOCORE_PRESIGNED_QUERY, Map.of(
                "host", List.of("localhost:4566"),
                "x-amzn-stream-name", List.of("cam2")), null);

        assertThatThrownBy(() -> verifier.verify(request))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(AwsError.INVALID_SIGNATURE));
    }

    @Test
    void verify_presignedAndAuthorizationHeaderTogether_throwsIncompleteSignature() {
        SignedRequest request = new SignedRequest("POST", "/putMedia", BOTOCORE_PRESIGNED_QUERY, Map.of(
                "host", List.of("localhost:4566"),
                "authorization", List.of(BOTOCORE_AUTHORIZATION)), null);

        assertThatThrownBy(() -> verifier.verify(request))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error()).isEqualTo(AwsError.INCOMPLETE_SIGNATURE));
    }

    // ---- signing and request conversion ----

    private static SigV4Verifier verifierAt(Instant now) {
        return new SigV4Verifier(STORE, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static SignedRequest javaSigned(String url, String body, Duration presignFor, boolean unsignedPayload) {
        return javaSigned(url, body, presignFor, unsignedPayload, "kinesisvideo");
    }

    private static SignedRequest javaSigned(String url, String body, Duration presignFor, boolean unsignedPayload,
            String service) {
        return javaSigned(url, body, presignFor, unsignedPayload, service, false);
    }

    /** Signs with the real AWS SDK for Java v2 signer and converts the result to the verifier's view. */
    private static SignedRequest javaSigned(String url, String body, Duration presignFor, boolean unsignedPayload,
            String service, boolean chunked) {
        SdkHttpRequest http = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create(url))
                .putHeader("Content-Type", "application/json")
                .build();
        AwsV4HttpSigner signer = AwsV4HttpSigner.create();
        software.amazon.awssdk.http.auth.spi.signer.SignedRequest signed = signer.sign(r -> {
            r.identity(AwsCredentialsIdentity.create(ACCESS_KEY, SECRET_KEY))
                    .request(http)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-west-2")
                    .putProperty(HttpSigner.SIGNING_CLOCK, SIGNING_CLOCK);
            if (body != null) {
                r.payload(ContentStreamProvider.fromUtf8String(body));
            }
            if (presignFor != null) {
                r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, presignFor);
            }
            if (unsignedPayload) {
                r.putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false);
            }
            if (chunked) {
                r.putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true);
            }
        });
        SdkHttpRequest out = signed.request();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        out.forEachHeader((name, values) -> headers.computeIfAbsent(name.toLowerCase(Locale.ROOT),
                k -> new ArrayList<>()).addAll(values));
        if (!headers.containsKey("host")) {
            headers.put("host", List.of(out.getUri().getAuthority()));
        }
        URI uri = out.getUri();
        return new SignedRequest(out.method().name(), uri.getRawPath(), uri.getRawQuery(), headers,
                sha256Hex(body == null ? "" : body));
    }

    private static SignedRequest withPayloadHash(SignedRequest r, String payloadSha256Hex) {
        return new SignedRequest(r.method(), r.rawPath(), r.rawQuery(), r.headers(), payloadSha256Hex);
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
