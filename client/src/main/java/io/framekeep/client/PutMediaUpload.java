package io.framekeep.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * One PutMedia exchange (spec §3.7) over a plain socket: a POST whose Matroska body goes out with
 * {@code Transfer-Encoding: chunked} while a second thread reads the acks from the chunked
 * response. Signed with SigV4 (service {@code kinesisvideo}) over the empty-string payload hash,
 * as the KVS producer SDK does.
 *
 * <p>The request carries {@code Expect: 100-continue} and no body byte is sent before the server
 * answers (or {@link #CONTINUE_WAIT} passes), so a refused upload (unknown stream, throttling,
 * connection limit) is raised as a {@link KvsException} with nothing consumed from the body
 * stream, and only then may the caller retry. Once body bytes are out, nothing is retried.
 *
 * <p>Not reusable; the calling thread writes, a daemon thread reads.
 */
final class PutMediaUpload {
  /** RFC 9110 lets a client send the body anyway when no 100 arrives; 3 s is curl's 1 s x3. */
  static final Duration CONTINUE_WAIT = Duration.ofSeconds(3);
  /** Body chunk size: 64 KiB keeps syscalls few and a live fragment spread over several chunks. */
  static final int BODY_CHUNK_BYTES = 64 * 1024;
  /** After the last body byte, how long the server may take to send the remaining acks. */
  static final Duration ACK_DRAIN_TIMEOUT = Duration.ofSeconds(60);
  /** Error bodies are small JSON objects; more than this is not read. */
  static final int MAX_ERROR_BODY_BYTES = 64 * 1024;
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI endpoint;
  private final String region;
  private final AwsCredentialsIdentity credentials;
  private final String streamName;
  private final PutMediaOptions options;
  private final Instant now;

  PutMediaUpload(URI endpoint, String region, AwsCredentialsIdentity credentials,
      String streamName, PutMediaOptions options, Instant now) {
    this.endpoint = endpoint;
    this.region = region;
    this.credentials = credentials;
    this.streamName = streamName;
    this.options = options;
    this.now = now;
  }

  /**
   * Runs the upload to the end of {@code body} or to an ERROR ack.
   *
   * @throws KvsException the server refused the upload before any body byte was sent
   * @throws IOException the connection failed (some fragments may already be stored)
   */
  PutMediaResult run(InputStream body, PutMediaListener listener) throws IOException {
    SdkHttpRequest request = signedRequest();
    try (Socket socket = connect()) {
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), BODY_CHUNK_BYTES + 32);
      writeHead(out, request);
      HttpResponseReader reader =
          new HttpResponseReader(new BufferedInputStream(socket.getInputStream()));
      AckReader acks = new AckReader(reader, listener);
      Thread thread = new Thread(acks, "putmedia-acks-" + streamName);
      thread.setDaemon(true);
      thread.start();
      int firstStatus = awaitFirstStatus(acks);
      if (firstStatus != 0 && firstStatus != 100 && firstStatus != 200) {
        throw acks.refusal();
      }
      long sent = writeBody(body, out, acks, listener);
      try {
        acks.done.get(ACK_DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new IOException("no end of the ack stream " + ACK_DRAIN_TIMEOUT.toSeconds()
            + " s after the last body byte");
      } catch (ExecutionException e) {
        if (acks.error.get() == null) {
          if (e.getCause() instanceof KvsException k) {
            throw k;
          }
          throw new IOException("PutMedia response failed: " + e.getCause(), e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for acks");
      }
      return acks.result(sent);
    }
  }

  private int awaitFirstStatus(AckReader acks) throws IOException {
    try {
      return acks.firstStatus.get(CONTINUE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return 0;
    } catch (ExecutionException e) {
      throw new IOException("PutMedia connection failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException();
    }
  }

  private long writeBody(InputStream body, OutputStream out, AckReader acks,
      PutMediaListener listener) throws IOException {
    byte[] buf = new byte[BODY_CHUNK_BYTES];
    long sent = 0;
    try {
      int n;
      while (acks.error.get() == null && !acks.done.isDone() && (n = body.read(buf)) >= 0) {
        if (n == 0) {
          continue;
        }
        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(buf, 0, n);
        out.write(CRLF);
        out.flush();
        sent += n;
        listener.onBytesSent(sent);
      }
      if (acks.error.get() == null && !acks.done.isDone()) {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    } catch (IOException e) {
      // The server may close after an ERROR ack while a chunk is in flight: report the ack.
      if (acks.error.get() == null && !acks.done.isDone()) {
        throw e;
      }
    }
    return sent;
  }

  private static final byte[] CRLF = {'\r', '\n'};

  private Socket connect() throws IOException {
    boolean tls = "https".equalsIgnoreCase(endpoint.getScheme());
    int port = endpoint.getPort() > 0 ? endpoint.getPort() : tls ? 443 : 80;
    Socket plain = new Socket();
    plain.connect(new InetSocketAddress(endpoint.getHost(), port), (int) CONNECT_TIMEOUT.toMillis());
    plain.setTcpNoDelay(true);
    if (!tls) {
      return plain;
    }
    SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
        .createSocket(plain, endpoint.getHost(), port, true);
    ssl.startHandshake();
    return ssl;
  }

  private SdkHttpRequest signedRequest() {
    String base = endpoint.toString().replaceAll("/+$", "");
    SdkHttpRequest.Builder b = SdkHttpRequest.builder()
        .method(SdkHttpMethod.POST)
        .uri(URI.create(base + "/putMedia"))
        .putHeader("x-amzn-stream-name", streamName)
        .putHeader("x-amzn-fragment-timecode-type", options.timecodeType())
        .putHeader("x-amzn-fragment-acknowledgment-required", "1")
        .putHeader("Transfer-Encoding", "chunked")
        .putHeader("Connection", "keep-alive")
        .putHeader("User-Agent", "framekeep-client");
    if (PutMediaOptions.RELATIVE.equals(options.timecodeType())) {
      Instant start = options.producerStart() != null ? options.producerStart() : now;
      // Producer SDK format: decimal epoch seconds with 3 decimals.
      b.putHeader("x-amzn-producer-start-timestamp",
          String.format("%d.%03d", start.getEpochSecond(), start.getNano() / 1_000_000));
    }
    SdkHttpRequest unsigned = b.build();
    if (credentials == null) {
      return unsigned;
    }
    return AwsV4HttpSigner.create().sign(r -> r
        .identity(credentials)
        .request(unsigned)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, FramekeepClient.SIGNING_NAME)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        // Hash of the empty string, as the producer SDK signs; the body itself is not signed.
        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)).request();
  }

  private void writeHead(OutputStream out, SdkHttpRequest request) throws IOException {
    StringBuilder head = new StringBuilder();
    head.append("POST ").append(request.encodedPath().isEmpty() ? "/" : request.encodedPath())
        .append(" HTTP/1.1\r\n");
    boolean hasHost = false;
    for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
      hasHost |= h.getKey().equalsIgnoreCase("host");
      for (String v : h.getValue()) {
        head.append(h.getKey()).append(": ").append(v).append("\r\n");
      }
    }
    if (!hasHost) {
      head.append("Host: ").append(request.host());
      if (request.port() != 80 && request.port() != 443) {
        head.append(':').append(request.port());
      }
      head.append("\r\n");
    }
    head.append("Expect: 100-continue\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** Reads the response: the first status, then (for a 200) one ack per line. */
  private static final class AckReader implements Runnable {
    final CompletableFuture<Integer> firstStatus = new CompletableFuture<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final AtomicReference<AckEvent> error = new AtomicReference<>();
    private final HttpResponseReader reader;
    private final PutMediaListener listener;
    private volatile KvsException refusal;
    private volatile int persisted;
    private volatile int received;
    private volatile String lastPersisted;

    AckReader(HttpResponseReader reader, PutMediaListener listener) {
      this.reader = reader;
      this.listener = listener;
    }

    KvsException refusal() {
      try {
        done.get(ACK_DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception ignored) {
        // The refusal below is set before done completes; a timeout leaves a generic one.
      }
      return refusal != null ? refusal
          : new KvsException("HTTP error", "PutMedia refused", 0, null, null);
    }

    PutMediaResult result(long sent) {
      return new PutMediaResult(sent, persisted, received, lastPersisted, error.get());
    }

    @Override
    public void run() {
      try {
        HttpResponseReader.Head head = reader.readHead();
        if (head.status() == 100) {
          firstStatus.complete(100);
          head = reader.readHead();
        }
        if (head.status() != 200) {
          refusal = errorOf(head, reader.readBodyText(MAX_ERROR_BODY_BYTES));
          firstStatus.complete(head.status());
          done.completeExceptionally(refusal);
          return;
        }
        firstStatus.complete(200);
        String line;
        while ((line = reader.readBodyLine()) != null) {
          if (!line.isBlank()) {
            onAck(parseAck(line));
          }
        }
        done.complete(null);
      } catch (IOException | RuntimeException e) {
        firstStatus.completeExceptionally(e);
        done.completeExceptionally(e);
      }
    }

    private void onAck(AckEvent ack) {
      switch (ack.type()) {
        case PERSISTED -> {
          persisted++;
          lastPersisted = ack.fragmentNumber();
        }
        case RECEIVED -> received++;
        case ERROR -> error.compareAndSet(null, ack);
        default -> { }
      }
      listener.onAck(ack);
    }
  }

  /** Parses one flat ack object; a line that is not JSON is an IOException. */
  static AckEvent parseAck(String line) throws IOException {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (IOException e) {
      throw new IOException("ack is not JSON: " + line, e);
    }
    if (n == null || !n.isObject()) {
      throw new IOException("ack is not a JSON object: " + line);
    }
    if (n.has("Acknowledgement") && n.get("Acknowledgement").isObject()) {
      n = n.get("Acknowledgement"); // the developer guide's wrapped example form
    }
    AckEvent.Type type;
    try {
      type = AckEvent.Type.valueOf(n.path("EventType").asText(""));
    } catch (IllegalArgumentException e) {
      type = AckEvent.Type.UNKNOWN;
    }
    return new AckEvent(type,
        n.hasNonNull("FragmentTimecode") ? n.get("FragmentTimecode").asLong() : -1,
        n.hasNonNull("FragmentNumber") ? n.get("FragmentNumber").asText() : null,
        n.hasNonNull("ErrorId") ? n.get("ErrorId").asInt() : 0,
        n.hasNonNull("ErrorCode") ? n.get("ErrorCode").asText() : null);
  }

  /** The exception for a JSON error response (spec §2.5). */
  static KvsException errorOf(HttpResponseReader.Head head, String body) {
    String code = head.header("x-amzn-errortype");
    String message = head.header("x-amzn-error-message");
    try {
      JsonNode n = JSON.readTree(body);
      if (n != null && n.isObject()) {
        if (code == null) {
          code = firstText(n, "__type", "code", "Code");
        }
        String m = firstText(n, "message", "Message", "errorMessage");
        if (m != null) {
          message = m;
        }
      }
    } catch (IOException notJson) {
      // Keep the header values; the body may be an HTML error page from a proxy.
    }
    return ErrorMapping.fromResponse(code, message != null ? message : body, head.status(),
        head.header("x-amzn-requestid"), null);
  }

  private static String firstText(JsonNode n, String... names) {
    for (String name : names) {
      if (n.hasNonNull(name)) {
        return n.get(name).asText();
      }
    }
    return null;
  }
}
