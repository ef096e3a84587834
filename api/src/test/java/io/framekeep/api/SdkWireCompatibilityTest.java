package io.framekeep.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.framekeep.api.auth.SigV4Verifier;
import io.framekeep.api.auth.SignedRequest;
import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import io.framekeep.api.error.ErrorResponses;
import io.framekeep.api.json.Json;
import io.framekeep.api.model.DescribeStreamRequest;
import io.framekeep.api.model.DescribeStreamResponse;
import io.framekeep.api.model.EmptyResponse;
import io.framekeep.api.model.Fragment;
import io.framekeep.api.model.ListFragmentsRequest;
import io.framekeep.api.model.ListFragmentsResponse;
import io.framekeep.api.model.StreamInfo;
import io.framekeep.api.model.TagResourceRequest;
import io.framekeep.api.model.UntagStreamRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesisvideo.KinesisVideoClient;
import software.amazon.awssdk.services.kinesisvideo.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesisvideo.model.KinesisVideoException;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.KinesisVideoArchivedMediaClient;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ClipFragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.FragmentSelectorType;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.KinesisVideoArchivedMediaException;
import software.amazon.awssdk.services.kinesisvideoarchivedmedia.model.ResourceNotFoundException;

/**
 * The wire contract checked against the real AWS SDK for Java v2 clients talking to an in-process
 * JDK HTTP stub: their signatures verify, their bodies bind, and our responses and errors parse.
 */
class SdkWireCompatibilityTest {

    private static final String ACCESS_KEY = "AKIDFRAMEKEEPTEST";
    private static final String SECRET_KEY = "framekeep-test-secret";

    private final SigV4Verifier verifier = new SigV4Verifier(
            id -> id.equals(ACCESS_KEY) ? Optional.of(SECRET_KEY) : Optional.empty(), Clock.systemUTC());
    private final AtomicReference<Function<Received, Reply>> handler = new AtomicReference<>();
    private final AtomicReference<Received> last = new AtomicReference<>();
    private HttpServer server;
    private URI endpoint;

    private record Received(String path, VerifiedCaller caller, byte[] body) {
    }

    private record Reply(int status, Map<String, String> headers, byte[] body) {

        static Reply json(Object response) {
            return new Reply(200, Map.of("Content-Type", "application/json", "x-amzn-RequestId", "req-ok"),
                    Json.write(response));
        }

        static Reply error(ApiException e) {
            return new Reply(e.error().httpStatus(), ErrorResponses.headers(e, "req-err"), ErrorResponses.body(e));
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::serve);
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void serve(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
        URI uri = exchange.getRequestURI();
        Reply reply;
        try {
            VerifiedCaller caller = verifier.verify(new SignedRequest(exchange.getRequestMethod(), uri.getRawPath(),
                    uri.getRawQuery(), headers, sha256Hex(body)));
            Received received = new Received(uri.getRawPath(), caller, body);
            last.set(received);
            reply = handler.get().apply(received);
        } catch (ApiException e) {
            reply = Reply.error(e);
        }
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body());
        }
    }

    private KinesisVideoArchivedMediaClient archivedMedia(String secret) {
        return KinesisVideoArchivedMediaClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_WEST_2)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    private KinesisVideoClient control() {
        return KinesisVideoClient.builder()
                .endpointOverride(endpoint)
                .region(Region.EU_CENTRAL_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    @Test
    void listFragments_javaClient_signatureVerifiesBodyBindsAndResponseParses() {
        Instant producer = Instant.parse("2019-07-08T12:40:45.061Z");
        Fragment fragment = new Fragment(FragmentNumbers.format(7), 1234L, producer,
                Instant.parse("2024-01-01T00:00:00Z"), 2000L);
        handler.set(r -> Reply.json(new ListFragmentsResponse(List.of(fragment), null)));

        try (KinesisVideoArchivedMediaClient client = archivedMedia(SECRET_KEY)) {
            var response = client.listFragments(b -> b.streamName("cam1").maxResults(10L)
                    .fragmentSelector(s -> s.fragmentSelectorType(FragmentSelectorType.SERVER_TIMESTAMP)
                            .timestampRange(t -> t.startTimestamp(Instant.parse("2024-01-01T00:00:00.123Z"))
                                    .endTimestamp(Instant.parse("2024-01-01T00:01:00Z")))));

            assertThat(response.fragments()).hasSize(1);
            assertThat(response.fragments().get(0).fragmentNumber()).isEqualTo(FragmentNumbers.format(7));
            assertThat(response.fragments().get(0).producerTimestamp()).isEqualTo(producer);
            assertThat(response.fragments().get(0).fragmentSizeInBytes()).isEqualTo(1234L);
        }
        Received received = last.get();
        assertThat(received.path()).isEqualTo("/listFragments");
        assertThat(received.caller().region()).isEqualTo("us-west-2");
        ListFragmentsRequest request = Json.read(received.body(), ListFragmentsRequest.class).validate();
        assertThat(request.fragmentSelector().timestampRange().startTimestamp())
                .isEqualTo(Instant.parse("2024-01-01T00:00:00.123Z"));
    }

    @Test
    void getClip_errorResponse_becomesModelledExceptionWithMessageAndRequestId() {
        handler.set(r -> Reply.error(ApiException.resourceNotFound("The requested stream is not found or not active.")));

        try (KinesisVideoArchivedMediaClient client = archivedMedia(SECRET_KEY)) {
            assertThatThrownBy(() -> client.getClip(b -> b.streamName("cam1").clipFragmentSelector(s -> s
                    .fragmentSelectorType(ClipFragmentSelectorType.SERVER_TIMESTAMP)
                    .timestampRange(t -> t.startTimestamp(Instant.parse("2024-01-01T00:00:00Z"))
                            .endTimestamp(Instant.parse("2024-01-01T00:01:00Z")))), ResponseTransformer.toBytes()))
                    .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException");
                        assertThat(e.awsErrorDetails().errorMessage())
                                .isEqualTo("The requested stream is not found or not active.");
                        assertThat(e.statusCode()).isEqualTo(404);
                        assertThat(e.requestId()).isEqualTo("req-err");
                    });
        }
        assertThat(last.get().path()).isEqualTo("/getClip");
    }

    @Test
    void anyCall_wrongSecret_surfacesInvalidSignatureException() {
        handler.set(r -> Reply.json(EmptyResponse.INSTANCE));

        try (KinesisVideoArchivedMediaClient client = archivedMedia("wrong-secret")) {
            assertThatThrownBy(() -> client.listFragments(b -> b.streamName("cam1").nextToken("YWJj")))
                    .isInstanceOfSatisfying(
                            KinesisVideoArchivedMediaException.class, e -> {
                                assertThat(e.awsErrorDetails().errorCode()).isEqualTo(
                                        AwsError.INVALID_SIGNATURE.wireName());
                                assertThat(e.statusCode()).isEqualTo(403);
                            });
        }
        assertThat(last.get()).isNull();
    }

    @Test
    void describeStream_javaClient_parsesStreamInfo() {
        Instant created = Instant.parse("2024-01-01T00:00:00.5Z");
        String arn = StreamArns.format("eu-central-1", "123456789012", "cam1", created.toEpochMilli());
        handler.set(r -> {
            DescribeStreamRequest request = Json.read(r.body(), DescribeStreamRequest.class).validate();
            return Reply.json(new DescribeStreamResponse(new StreamInfo(null, request.streamName(), arn,
                    "video/h264", "arn:aws:kms:eu-central-1:123456789012:alias/aws/kinesisvideo", "v1", "ACTIVE",
                    created, 24)));
        });

        try (KinesisVideoClient client = control()) {
            var info = client.describeStream(b -> b.streamName("cam1")).streamInfo();

            assertThat(info.streamARN()).isEqualTo(arn);
            assertThat(info.creationTime()).isEqualTo(created);
            assertThat(info.dataRetentionInHours()).isEqualTo(24);
            assertThat(info.statusAsString()).isEqualTo("ACTIVE");
            assertThat(info.deviceName()).isNull();
        }
        assertThat(last.get().caller().region()).isEqualTo("eu-central-1");
    }

    @Test
    void tagResource_javaClient_capitalisedPathVerifiesAndTagListBinds() {
        handler.set(r -> Reply.json(EmptyResponse.INSTANCE));
        String arn = StreamArns.format("eu-central-1", "123456789012", "cam1", 1L);

        try (KinesisVideoClient client = control()) {
            client.tagResource(b -> b.resourceARN(arn).tags(t -> t.key("site").value("lab")));
        }
        assertThat(last.get().path()).isEqualTo("/TagResource");
        TagResourceRequest request = Json.read(last.get().body(), TagResourceRequest.class).validate();
        assertThat(request.tags()).singleElement().satisfies(t -> assertThat(t.key()).isEqualTo("site"));
    }

    @Test
    void untagStream_validationError_becomesInvalidArgumentException() {
        handler.set(r -> {
            Json.read(r.body(), UntagStreamRequest.class).validate();
            return Reply.json(EmptyResponse.INSTANCE);
        });

        try (KinesisVideoClient client = control()) {
            assertThatThrownBy(() -> client.untagStream(b -> b.streamName("cam 1").tagKeyList("k")))
                    .isInstanceOfSatisfying(
                            InvalidArgumentException.class,
                            e -> assertThat(e.awsErrorDetails().errorMessage()).contains("at 'streamName'"));
        }
    }

    @Test
    void controlPlane_unknownKey_surfacesUnrecognizedClient() {
        handler.set(r -> Reply.json(EmptyResponse.INSTANCE));
        KinesisVideoClient client = KinesisVideoClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDOTHER", "s")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
                .build();

        try (client) {
            assertThatThrownBy(() -> client.listStreams(b -> b.maxResults(5)))
                    .isInstanceOfSatisfying(KinesisVideoException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
                        assertThat(e.awsErrorDetails().errorMessage())
                                .isEqualTo("The security token included in the request is invalid.");
                    });
        }
    }

    private static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
