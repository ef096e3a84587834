package io.framekeep.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * A PutMedia client (spec §3.7) as the KVS producer SDK behaves: one HTTP/1.1 POST whose body is
 * streamed with {@code Transfer-Encoding: chunked} while the acks are read, concurrently, from
 * the chunked response.
 *
 * <p>It speaks HTTP/1.1 over a plain socket rather than through {@code java.net.http.HttpClient}
 * because the JDK client (17 and 25 alike) is half-duplex on HTTP/1.1: it hands over the response
 * only after the whole request body has been sent, so no ack could be seen while an upload is
 * open, and the one-connection-per-stream test could not hold an upload open.
 *
 * <p>Requests are signed (service {@code kinesisvideo}) in one of the modes of {@link Signing}: by
 * the SDK's {@link AwsV4HttpSigner} for UNSIGNED-PAYLOAD, by {@link ProducerSigV4} for the
 * producer SDK's empty-payload-hash form, which the SDK signer cannot produce. The writer sends the headers and waits for the status line
 * before sending any body, so a refused upload gets its JSON error without the server having to
 * drain a body it will not read.
 *
 * <p>Thread-safety: a client is immutable and may start any number of uploads; each {@link
 * Upload} uses two threads of its own (writer and reader).
 */
final class PutMediaClient {
  static final String SIGNING_NAME = "kinesisvideo";
  /** How long the writer waits for the status line before sending the body anyway. */
  private static final Duration STATUS_WAIT = Duration.ofSeconds(5);
  /** Body chunk size: small enough that a fragment spans several chunks, as from a socket. */
  private static final int BODY_CHUNK_BYTES = 16 * 1024;
  /** A header line or chunk-size line longer than this means the response is not HTTP. */
  private static final int MAX_LINE_BYTES = 16 * 1024;
  /** How long a finished response waits for the writer to finish the body. */
  private static final Duration WRITER_GRACE = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How a request is signed. */
  enum Signing {
    /** The producer SDK's way: payload hash of the empty string, no x-amz-content-sha256. */
    EMPTY_PAYLOAD_HASH,
    /** {@code x-amz-content-sha256: UNSIGNED-PAYLOAD}, signed. */
    UNSIGNED_PAYLOAD,
    /** No Authorization header at all. */
    NONE
  }

  /** Where to upload and how the producer timestamps are to be read. */
  record Target(String streamName, String streamArn, String timecodeType, Instant producerStart) {
    /** RELATIVE timecodes from {@code producerStart} to the named stream. */
    static Target relative(String streamName, Instant producerStart) {
      return new Target(streamName, null, "RELATIVE", producerStart);
    }
  }

  /** One parsed ack line; {@code json} keeps the raw object for wire-type assertions. */
  record Ack(String eventType, Long fragmentTimecode, String fragmentNumber, Integer errorId,
      String errorCode, JsonNode json) {
    BigInteger fragmentNumberValue() {
      return new BigInteger(fragmentNumber);
    }

    static Ack parse(String line) {
      try {
        JsonNode n = JSON.readTree(line);
        return new Ack(
            n.path("EventType").asText(null),
            n.hasNonNull("FragmentTimecode") ? n.get("FragmentTimecode").asLong() : null,
            n.hasNonNull("FragmentNumber") ? n.get("FragmentNumber").asText() : null,
            n.hasNonNull("ErrorId") ? n.get("ErrorId").asInt() : null,
            n.hasNonNull("ErrorCode") ? n.get("ErrorCode").asText() : null,
            n);
      } catch (IOException e) {
        throw new UncheckedIOException("ack line is not JSON: " + line, e);
      }
    }
  }

  /**
   * The finished exchange. {@code headers} has lower-case names; for a 200 the body is the ack
   * lines (also parsed into {@code acks}), otherwise the JSON error.
   */
  record Response(int status, Map<String, String> headers, List<Ack> acks, String body,
      IOException writeFailure) {
    String errorType() {
      return headers.get("x-amzn-errortype");
    }

    List<Ack> acks(String eventType) {
      return acks.stream().filter(a -> eventType.equals(a.eventType())).toList();
    }
  }

  private final URI endpoint;
  private final AwsCredentialsIdentity credentials;
  private final String region;
  private final SSLSocketFactory tls;

  /**
   * @param endpoint the data endpoint returned by GetDataEndpoint(PUT_MEDIA), without a path
   * @param credentials signing credentials; unused with {@link Signing#NONE}
   * @param region any region name; it only goes into the credential scope
   */
  PutMediaClient(URI endpoint, AwsCredentialsIdentity credentials, String region) {
    this(endpoint, credentials, region, null);
  }

  /**
   * The same with the TLS socket factory for {@code https} endpoints; null trusts
   * {@link TestTls#shared()}, the certificate in-process HTTPS servers use unless told otherwise.
   */
  PutMediaClient(URI endpoint, AwsCredentialsIdentity credentials, String region,
      SSLSocketFactory tls) {
    this.endpoint = endpoint;
    this.credentials = credentials;
    this.region = region;
    this.tls = tls;
  }

  /** Uploads the whole body and waits (at most {@code timeout}) for the response to end. */
  Response put(Target target, Signing signing, InputStream body, Duration timeout) {
    try (Upload upload = start(target, signing, body)) {
      return upload.await(timeout);
    }
  }

  /** Opens the connection and starts writing {@code body}; returns at once. */
  Upload start(Target target, Signing signing, InputStream body) {
    SdkHttpRequest request = sign(target, signing);
    return new Upload(request, body);
  }

  /** The request head as it goes on the wire (package-private for the signing-mode test). */
  SdkHttpRequest sign(Target target, Signing signing) {
    SdkHttpRequest.Builder b = SdkHttpRequest.builder()
        .method(SdkHttpMethod.POST)
        .uri(endpoint.resolve("/putMedia"))
        .putHeader("Host", endpoint.getHost() + ":" + port(endpoint))
        .putHeader("User-Agent", "framekeep-it-putmedia/1.0")
        .putHeader("Transfer-Encoding", "chunked")
        .putHeader("Connection", "keep-alive")
        .putHeader("x-amzn-fragment-timecode-type", target.timecodeType())
        .putHeader("x-amzn-fragment-acknowledgment-required", "1");
    if (target.streamName() != null) {
      b.putHeader("x-amzn-stream-name", target.streamName());
    }
    if (target.streamArn() != null) {
      b.putHeader("x-amzn-stream-arn", target.streamArn());
    }
    if (target.producerStart() != null) {
      long ms = target.producerStart().toEpochMilli();
      // Producer SDK format: decimal epoch seconds with three decimals.
      b.putHeader("x-amzn-producer-start-timestamp",
          String.format(Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000));
    }
    SdkHttpRequest unsigned = b.build();
    if (signing == Signing.NONE) {
      return unsigned;
    }
    if (signing == Signing.EMPTY_PAYLOAD_HASH) {
      return ProducerSigV4.sign(unsigned, credentials, region, SIGNING_NAME, Instant.now(),
          ProducerSigV4.EMPTY_STRING_SHA256);
    }
    return signWithSdk(unsigned, credentials, region, Clock.systemUTC());
  }

  /** {@code x-amz-content-sha256: UNSIGNED-PAYLOAD}, signed by the SDK's SigV4 signer. */
  static SdkHttpRequest signWithSdk(SdkHttpRequest unsigned, AwsCredentialsIdentity credentials,
      String region, Clock clock) {
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(credentials)
        .request(unsigned)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock)
        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false));
    return signed.request();
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
  }

  /** An upload in progress. Closing it closes the connection. */
  final class Upload implements AutoCloseable {
    private final Socket socket;
    private final CompletableFuture<Integer> status = new CompletableFuture<>();
    private final CompletableFuture<Response> response = new CompletableFuture<>();
    private final CompletableFuture<IOException> written = new CompletableFuture<>();
    private final List<Ack> acks = new ArrayList<>();

    private Upload(SdkHttpRequest request, InputStream body) {
      try {
        socket = connect();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Thread reader = new Thread(this::readResponse, "putmedia-reader");
      reader.setDaemon(true);
      reader.start();
      Thread writer = new Thread(() -> writeRequest(request, body), "putmedia-writer");
      writer.setDaemon(true);
      writer.start();
    }

    /** A TCP connection to the endpoint, with a completed TLS handshake for https. */
    private Socket connect() throws IOException {
      Socket tcp = new Socket();
      tcp.connect(new InetSocketAddress(endpoint.getHost(), port(endpoint)), 5_000);
      tcp.setTcpNoDelay(true);
      if (!"https".equals(endpoint.getScheme())) {
        return tcp;
      }
      SSLSocketFactory factory = tls != null ? tls
          : TestTls.shared().sslContext().getSocketFactory();
      SSLSocket secure = (SSLSocket) factory.createSocket(tcp, endpoint.getHost(),
          port(endpoint), true);
      SSLParameters parameters = secure.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      secure.setSSLParameters(parameters);
      secure.startHandshake();
      return secure;
    }

    /** The HTTP status, once the status line has arrived. */
    int awaitStatus(Duration timeout) {
      return get(status, timeout, "status line");
    }

    /** The first ack (already received or still to come) that matches. */
    Ack awaitAck(Predicate<Ack> matcher, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      synchronized (acks) {
        while (true) {
          for (Ack a : acks) {
            if (matcher.test(a)) {
              return a;
            }
          }
          long left = deadline - System.nanoTime();
          if (left <= 0 || response.isDone()) {
            throw new AssertionError("no matching ack within " + timeout + "; acks: " + acks);
          }
          try {
            acks.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
          }
        }
      }
    }

    /** The acks received so far, also after the connection failed. */
    List<Ack> acksSoFar() {
      synchronized (acks) {
        return List.copyOf(acks);
      }
    }

    /** Waits for the body to be written and the response to end. */
    Response await(Duration timeout) {
      return get(response, timeout, "end of the response");
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closing is best effort; the test has its answer already.
      }
    }

    private void writeRequest(SdkHttpRequest request, InputStream body) {
      try (body) {
        OutputStream out = socket.getOutputStream();
        StringBuilder head = new StringBuilder();
        String path = request.encodedPath().isEmpty() ? "/" : request.encodedPath();
        head.append("POST ").append(path).append(" HTTP/1.1\r\n");
        request.forEachHeader((name, values) -> values.forEach(
            v -> head.append(name).append(": ").append(v).append("\r\n")));
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        Integer code = status.copy()
            .completeOnTimeout(null, STATUS_WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
        if (code != null && code != 200) {
          written.complete(null);
          return;
        }
        byte[] buf = new byte[BODY_CHUNK_BYTES];
        int n;
        while ((n = body.read(buf)) > 0) {
          out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
          out.write(buf, 0, n);
          out.write(CRLF);
          out.flush();
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        written.complete(null);
      } catch (IOException e) {
        // The server may end the exchange early (an ERROR ack, a refusal); the response tells why.
        written.complete(e);
      } catch (RuntimeException e) {
        written.completeExceptionally(e);
      }
    }

    private void readResponse() {
      try {
        InputStream in = new BufferedInputStream(socket.getInputStream());
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
          throw new IOException("not an HTTP status line: " + statusLine);
        }
        int code = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
          int colon = line.indexOf(':');
          headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
              line.substring(colon + 1).trim());
        }
        status.complete(code);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        LineSplitter lines = new LineSplitter(code == 200);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
          for (int size = chunkSize(readLine(in)); size > 0; size = chunkSize(readLine(in))) {
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
              throw new IOException("response ended inside a chunk");
            }
            body.write(chunk);
            lines.accept(chunk);
            readLine(in);
          }
        } else if (headers.containsKey("content-length")) {
          byte[] all = in.readNBytes(Integer.parseInt(headers.get("content-length")));
          body.write(all);
          lines.accept(all);
        } else {
          byte[] all = in.readAllBytes();
          body.write(all);
          lines.accept(all);
        }
        lines.finish();
        IOException writeFailure = writeOutcome();
        List<Ack> snapshot;
        synchronized (acks) {
          snapshot = List.copyOf(acks);
        }
        response.complete(new Response(code, headers, snapshot,
            body.toString(StandardCharsets.UTF_8), writeFailure));
      } catch (IOException | RuntimeException | ExecutionException e) {
        status.completeExceptionally(e);
        response.completeExceptionally(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        response.completeExceptionally(e);
      } finally {
        synchronized (acks) {
          acks.notifyAll();
        }
        close();
      }
    }

    /**
     * How writing the body ended: null if completely sent. A writer still blocked once the
     * response has ended is cut off by closing the socket.
     */
    private IOException writeOutcome() throws ExecutionException, InterruptedException {
      try {
        return written.get(WRITER_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        close();
        return new IOException("the response ended while the body was still being written");
      }
    }

    /** Splits the ack stream into lines as bytes arrive, whatever the chunk boundaries. */
    private final class LineSplitter {
      private final boolean parseAcks;
      private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

      LineSplitter(boolean parseAcks) {
        this.parseAcks = parseAcks;
      }

      void accept(byte[] bytes) {
        if (!parseAcks) {
          return;
        }
        for (byte b : bytes) {
          if (b == '\n') {
            emit();
          } else {
            pending.write(b);
          }
        }
      }

      void finish() {
        if (parseAcks) {
          emit();
        }
      }

      private void emit() {
        String line = pending.toString(StandardCharsets.UTF_8).trim();
        pending.reset();
        if (line.isEmpty()) {
          return;
        }
        Ack ack = Ack.parse(line);
        synchronized (acks) {
          acks.add(ack);
          acks.notifyAll();
        }
      }
    }
  }

  private static final byte[] CRLF = {'\r', '\n'};

  private static int chunkSize(String line) throws IOException {
    int semi = line.indexOf(';');
    String hex = (semi < 0 ? line : line.substring(0, semi)).trim();
    try {
      return Integer.parseInt(hex, 16);
    } catch (NumberFormatException e) {
      throw new IOException("bad chunk size line: " + line, e);
    }
  }

  /** Reads a CRLF- (or LF-) terminated line as ISO-8859-1, without the terminator. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed mid-line after: " + line);
      }
      if (b == '\n') {
        break;
      }
      if (line.size() >= MAX_LINE_BYTES) {
        throw new IOException("line longer than " + MAX_LINE_BYTES + " bytes");
      }
      line.write(b);
    }
    String s = line.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private static <T> T get(CompletableFuture<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no " + what + " within " + timeout, e);
    } catch (ExecutionException e) {
      throw new AssertionError("PutMedia exchange failed before the " + what, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
