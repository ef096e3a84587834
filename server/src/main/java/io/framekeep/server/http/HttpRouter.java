package io.framekeep.server.http;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.storage.StorageHealth;
import io.framekeep.server.memory.JsonBodyBudget;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each HTTP request on a connection to its operation. One instance per connection; all
 * methods run on that connection's event loop.
 *
 * <p>JSON operations: the signature is checked as far as the head alone allows before any of the
 * body is buffered (fully when the head declares {@code x-amz-content-sha256}; otherwise a
 * missing, malformed, expired or unknown-key signature is refused at once and the connection
 * closed, its body unread). The body is then buffered up to {@code maxJsonBodyBytes}, or up to
 * {@code maxUnauthenticatedJsonBodyBytes} while the connection has not yet shown a valid
 * signature, the request is authenticated and handled on the blocking executor, and reading from
 * the connection pauses until the response is written (so a client cannot queue unbounded work). Streaming operations
 * (PutMedia) get the body piece by piece.
 *
 * <p>A JSON body being buffered is charged to the {@link JsonBodyBudget} (as unauthenticated while
 * the connection has shown no valid signature); when a charge finds no room, the connection stops
 * reading until there is, unless that piece ended the body. A small body that arrives in one read
 * is never held back; a paused one that stays paused is closed by the request-body idle timeout
 * ({@link ExchangeTimeouts}), which releases what it held. Errors before the first response byte are AWS JSON
 * errors; storage out of reach is ServiceUnavailable 503 ({@link StorageFailures}); a handler bug
 * is logged and answered with InternalFailure 500.
 */
public final class HttpRouter extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(HttpRouter.class);
  /**
   * Routing-table keys of GET resources authorised by a session token in their query string (HLS
   * and DASH playback) are this prefix plus the path. They skip SigV4: the operation gets an empty
   * body, a null caller, and the request URI as the pseudo-header {@link #REQUEST_URI_HEADER}.
   */
  public static final String GET_ROUTE_PREFIX = "GET ";
  /** Pseudo-header name under which operations can read the request URI (path and query). */
  public static final String REQUEST_URI_HEADER = ":uri";
  /** SigV4's declaration of the payload hash, which lets a head be verified before its body. */
  private static final String CONTENT_SHA256_HEADER = "x-amz-content-sha256";
  /** W3C Server Timing: how long the server held a /health probe (see answerHealth). */
  private static final String SERVER_TIMING_HEADER = "Server-Timing";

  /** What the connection is doing with the body of the current request. */
  private enum State {
    IDLE,
    BUFFERING_JSON,
    STREAMING,
    DISCARDING
  }

  private final Map<String, Operation> operations;
  private final Map<String, StreamingOperation> streamingOperations;
  private final Authenticator authenticator;
  private final Executor blockingExecutor;
  private final int maxJsonBodyBytes;
  private final int maxUnauthenticatedJsonBodyBytes;
  private final Supplier<StorageHealth> health;
  private final JsonBodyBudget bodyBudget;

  /** A request on this connection carried a valid signature (or signatures are not checked). */
  private boolean signatureShown;
  private State state = State.IDLE;
  private HttpRequest request;
  private String requestId;
  private CompositeByteBuf body;
  /** Bytes of {@link #body} charged to the budget, and whether as an authenticated body. */
  private long chargedBytes;
  private boolean chargedAuthenticated;
  /** Reading is paused until the budget has room; a resume is registered. */
  private boolean awaitingBudget;
  private StreamingOperation.Upload upload;

  public HttpRouter(
      Map<String, Operation> operations,
      Map<String, StreamingOperation> streamingOperations,
      Authenticator authenticator,
      Executor blockingExecutor,
      int maxJsonBodyBytes,
      int maxUnauthenticatedJsonBodyBytes,
      Supplier<StorageHealth> health,
      JsonBodyBudget bodyBudget) {
    this.operations = operations;
    this.streamingOperations = streamingOperations;
    this.authenticator = authenticator;
    this.blockingExecutor = blockingExecutor;
    this.maxJsonBodyBytes = maxJsonBodyBytes;
    this.maxUnauthenticatedJsonBodyBytes = maxUnauthenticatedJsonBodyBytes;
    this.bodyBudget = bodyBudget;
    this.signatureShown = !authenticator.checksSignatures();
    this.health = health;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest head) {
      onRequest(ctx, head);
    }
    if (msg instanceof HttpContent content) {
      onContent(ctx, content);
    } else if (!(msg instanceof HttpRequest)) {
      io.netty.util.ReferenceCountUtil.release(msg);
    }
  }

  private void onRequest(ChannelHandlerContext ctx, HttpRequest head) {
    request = head;
    requestId = UUID.randomUUID().toString();
    if (head.decoderResult().isFailure()) {
      respond(ctx, HttpResponses.error(
          ApiException.invalidArgument("The request is not valid HTTP."), requestId), false);
      state = State.DISCARDING;
      return;
    }
    String path = pathOf(head.uri());
    if (HttpMethod.GET.equals(head.method()) && path.equals("/health")) {
      state = State.DISCARDING;
      answerHealth(ctx, HttpUtil.isKeepAlive(head));
      return;
    }
    Operation sessionResource =
        HttpMethod.GET.equals(head.method()) ? operations.get(GET_ROUTE_PREFIX + path) : null;
    if (sessionResource != null) {
      state = State.DISCARDING;
      dispatch(ctx, head, requestId, sessionResource, null);
      return;
    }
    StreamingOperation streaming = streamingOperations.get(path);
    if (streaming != null && HttpMethod.POST.equals(head.method())) {
      state = State.STREAMING;
      upload = streaming.start(ctx, head, requestId);
      return;
    }
    if (!HttpMethod.POST.equals(head.method()) || !operations.containsKey(path)) {
      state = State.DISCARDING;
      respondError(ctx, ApiException.of(AwsError.UNKNOWN_OPERATION,
          "No operation " + head.method() + " " + path + " exists."));
      return;
    }
    ApiException refused = signatureShown ? null : checkHeadSignature(head);
    if (refused != null) {
      state = State.DISCARDING;
      OneExchangeAtATime.writeRefusal(ctx, HttpResponses.error(refused, requestId));
      return;
    }
    long declared = HttpUtil.getContentLength(head, -1L);
    if (declared > bodyLimit()) {
      state = State.DISCARDING;
      OneExchangeAtATime.writeRefusal(ctx, HttpResponses.error(tooLarge(), requestId));
      return;
    }
    state = State.BUFFERING_JSON;
    body = ctx.alloc().compositeBuffer();
    chargedBytes = 0;
    chargedAuthenticated = signatureShown;
  }

  private void onContent(ChannelHandlerContext ctx, HttpContent content) {
    switch (state) {
      case STREAMING -> {
        upload.onContent(content);
        if (content instanceof LastHttpContent) {
          state = State.IDLE;
          upload = null;
        }
      }
      case BUFFERING_JSON -> {
        int pieceBytes = content.content().readableBytes();
        if (body.readableBytes() + pieceBytes > bodyLimit()) {
          content.release();
          releaseBody();
          state = State.DISCARDING;
          OneExchangeAtATime.writeRefusal(ctx, HttpResponses.error(tooLarge(), requestId));
          return;
        }
        body.addComponent(true, content.content().retain());
        content.release();
        chargedBytes += pieceBytes;
        boolean room = bodyBudget.charge(pieceBytes, chargedAuthenticated);
        if (content instanceof LastHttpContent) {
          dispatchJson(ctx);
        } else if (!room) {
          pauseForBudget(ctx);
        }
      }
      default -> {
        content.release();
        if (content instanceof LastHttpContent) {
          state = State.IDLE;
        }
      }
    }
  }

  /**
   * Stops reading this connection until the body budget has room; the body being buffered stays.
   * Resumes only if the same body is still being buffered (a closed connection has released it).
   */
  private void pauseForBudget(ChannelHandlerContext ctx) {
    ctx.channel().config().setAutoRead(false);
    if (awaitingBudget) {
      return;
    }
    awaitingBudget = true;
    CompositeByteBuf paused = body;
    bodyBudget.whenAvailable(chargedAuthenticated).thenRun(() -> ctx.executor().execute(() -> {
      awaitingBudget = false;
      if (body == paused && ctx.channel().isActive()) {
        ctx.channel().config().setAutoRead(true);
      }
    }));
  }

  /** Frees the buffered body and gives back what it charged. */
  private void releaseBody() {
    body.release();
    body = null;
    bodyBudget.release(chargedBytes, chargedAuthenticated);
    chargedBytes = 0;
  }

  private void dispatchJson(ChannelHandlerContext ctx) {
    byte[] bytes = new byte[body.readableBytes()];
    body.readBytes(bytes);
    releaseBody();
    state = State.IDLE;
    HttpRequest head = request;
    String id = requestId;
    dispatch(ctx, head, id, operations.get(pathOf(head.uri())), bytes);
  }

  /**
   * {@code GET /health}, unauthenticated, for load balancers: 200 "ok" when the storage can serve, 503 and
   * the reason when it cannot. Answered here on the event loop: the supplier must not block (the server
   * gives it the last result of a check that runs in the background). The first answer on a
   * connection carries {@code Server-Timing: accept;dur=<ms>}, the time from the connection's accept
   * to this answer, so that a prober can tell the server's share of a slow answer from its own.
   */
  private void answerHealth(ChannelHandlerContext ctx, boolean keepAlive) {
    StorageHealth now = health.get();
    FullHttpResponse answer = now.serving()
        ? HttpResponses.text(HttpResponseStatus.OK, "ok\n")
        : HttpResponses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, now.reason() + "\n");
    long heldNanos = AcceptTimes.sinceAcceptedOnce(ctx.channel());
    if (heldNanos >= 0) {
      answer.headers().set(SERVER_TIMING_HEADER, String.format(java.util.Locale.ROOT,
          "accept;dur=%.1f", heldNanos / 1e6));
    }
    respond(ctx, answer, keepAlive);
  }

  /** Runs an operation on the blocking executor; {@code bytes} null: session-token authorised. */
  private void dispatch(ChannelHandlerContext ctx, HttpRequest head, String id,
      Operation operation, byte[] bytes) {
    boolean keepAlive = HttpUtil.isKeepAlive(head);
    ctx.channel().config().setAutoRead(false);
    try {
      blockingExecutor.execute(() -> runOperation(ctx, head, id, operation, bytes, keepAlive));
    } catch (RejectedExecutionException e) {
      respond(ctx, HttpResponses.error(
          ApiException.of(AwsError.INTERNAL_FAILURE, "The server is shutting down."), id), false);
    }
  }

  private void runOperation(ChannelHandlerContext ctx, HttpRequest head, String id,
      Operation operation, byte[] bytes, boolean keepAlive) {
    Response response;
    try {
      VerifiedCaller caller = bytes == null ? null
          : authenticator.authenticate(SignedRequests.of(head, sha256Hex(bytes)));
      if (bytes != null && !signatureShown) {
        ctx.executor().execute(() -> signatureShown = true); // before the response is written
      }
      response = operation.handle(bytes == null ? new byte[0] : bytes, caller,
          name -> REQUEST_URI_HEADER.equals(name) ? head.uri() : head.headers().get(name));
    } catch (ApiException e) {
      LOG.debug("{} {} -> {}: {}", head.method(), head.uri(), e.error().wireName(), e.getMessage());
      respond(ctx, HttpResponses.error(e, id), keepAlive);
      return;
    } catch (Exception | Error e) {
      java.util.Optional<ApiException> unavailable = StorageFailures.unavailable(e);
      if (unavailable.isPresent()) {
        LOG.warn("{} {} -> ServiceUnavailable (request {}): {}", head.method(), head.uri(), id,
            e.toString());
        respond(ctx, HttpResponses.error(unavailable.get(), id), keepAlive);
        return;
      }
      LOG.error("{} {} failed (request {})", head.method(), head.uri(), id, e);
      respond(ctx, HttpResponses.error(
          ApiException.of(AwsError.INTERNAL_FAILURE, "Internal error; request id " + id), id),
          keepAlive);
      return;
    }
    if (response instanceof Response.Json json) {
      respond(ctx, HttpResponses.json(io.framekeep.api.json.Json.write(json.body()), id), keepAlive);
    } else if (response instanceof Response.FileSlices slices) {
      ctx.executor().execute(() -> {
        ChannelFuture done = FileSliceWriter.write(ctx, slices, id, keepAlive);
        done.addListener(f -> ctx.channel().config().setAutoRead(true));
      });
    } else if (response instanceof Response.Streaming streaming) {
      ctx.executor().execute(() -> startStreaming(ctx, streaming, id, keepAlive));
    }
  }

  /**
   * Sends a long-lived body. Reading resumes at once so that a client going away is noticed while
   * the body waits for data; requests pipelined behind it are held by {@link OneExchangeAtATime}
   * until it ends.
   */
  private void startStreaming(ChannelHandlerContext ctx, Response.Streaming streaming, String id,
      boolean keepAlive) {
    NettyStreamSink sink = NettyStreamSink.start(ctx, streaming.contentType(), id, keepAlive);
    ctx.channel().config().setAutoRead(true);
    try {
      streaming.body().start(sink);
    } catch (RuntimeException | Error e) {
      LOG.error("streamed response {} failed to start", id, e);
      sink.abort("the body failed to start: " + e);
    }
  }

  /** Writes a complete response from any thread and resumes reading (or closes). */
  private void respond(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, "close");
    }
    ChannelFuture f = ctx.writeAndFlush(response);
    if (keepAlive) {
      f.addListener(done -> ctx.channel().config().setAutoRead(true));
    } else {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void respondError(ChannelHandlerContext ctx, ApiException e) {
    respond(ctx, HttpResponses.error(e, requestId), HttpUtil.isKeepAlive(request));
  }

  /**
   * Checks the signature of a JSON request from its head alone. Returns the error to answer now,
   * or null to read the body: the signature is valid, or it can only be judged with the body's
   * hash (no {@code x-amz-content-sha256} declared).
   */
  private ApiException checkHeadSignature(HttpRequest head) {
    boolean hashDeclared = head.headers().contains(CONTENT_SHA256_HEADER);
    try {
      authenticator.authenticate(SignedRequests.of(head, null));
      signatureShown = hashDeclared;
      return null;
    } catch (ApiException e) {
      return e.error() == AwsError.INVALID_SIGNATURE && !hashDeclared ? null : e;
    }
  }

  private int bodyLimit() {
    return signatureShown ? maxJsonBodyBytes
        : Math.min(maxJsonBodyBytes, maxUnauthenticatedJsonBodyBytes);
  }

  private ApiException tooLarge() {
    return ApiException.invalidArgument(
        "The request body is larger than the " + bodyLimit() + " bytes accepted"
            + (signatureShown ? "." : " before a request on this connection is authenticated."));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (body != null) {
      releaseBody();
    }
    if (upload != null) {
      upload.onConnectionClosed();
      upload = null;
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  /** The path of a request URI, without its query. */
  public static String pathOf(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}
