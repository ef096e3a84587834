package io.framekeep.server.ingest;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import io.framekeep.api.FragmentNumbers;
import io.framekeep.api.PutMediaHeaders;
import io.framekeep.api.StreamArns;
import io.framekeep.api.auth.VerifiedCaller;
import io.framekeep.media.FrameInspection;
import io.framekeep.media.FrameTable;
import io.framekeep.media.MediaFormatException;
import io.framekeep.media.mkv.IngestLimits;
import io.framekeep.media.mkv.MkvHeader;
import io.framekeep.media.mkv.MkvIngestParser;
import io.framekeep.server.ServiceLimits;
import io.framekeep.server.http.HttpResponses;
import io.framekeep.server.http.SignedRequests;
import io.framekeep.server.http.StreamingOperation;
import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.FragmentMetadata;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.StorageException;
import io.framekeep.storage.StreamRecord;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PutMedia upload: the MKV body is parsed as it arrives, each Cluster is appended to the
 * stream's segment as its bytes come in, and the acks go back on the same connection while the
 * upload continues (BUFFERING at a fragment's start, RECEIVED when it is complete, PERSISTED once
 * it is fsync'd and indexed, IDLE while the producer is silent, ERROR then the end of the session).
 *
 * <p>Threading: the event loop calls {@link #onContent}; all parsing and storage work runs in
 * order on this session's {@link SerialExecutor}. Memory is bounded: at most
 * {@link #MAX_QUEUED_BYTES} of body wait for the executor; past that the connection stops reading
 * (TCP back-pressure reaches the producer) until the queue drains below {@link #RESUME_BELOW_BYTES}.
 */
final class PutMediaSession implements StreamingOperation.Upload, MkvIngestParser.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(PutMediaSession.class);
  /** Enough to absorb bursts of a 100 Mbps producer for a third of a second without stalling it. */
  static final long MAX_QUEUED_BYTES = 4L * 1024 * 1024;
  static final long RESUME_BELOW_BYTES = 1024 * 1024;

  private enum State { STARTING, OPEN, ENDED }

  private final PutMediaOperation owner;
  private final ChannelHandlerContext ctx;
  private final HttpRequest request;
  private final String requestId;
  private final SerialExecutor executor;
  private final ServiceLimits limits;

  /** When the request head arrived; written before the session's first task, read by it. */
  private volatile long startedMs;
  /** Touched on the event loop only. */
  private long queuedBytes;
  private long lastDataMs;
  private ScheduledFuture<?> idleTimer;

  /** Touched on the serial executor only (state is read on the event loop, hence volatile). */
  private volatile State state = State.STARTING;
  private StreamRecord stream;
  private boolean claimed;
  private PutMediaHeaders headers;
  private MkvIngestParser parser;
  private FragmentAppender appender;
  private PendingFrameReader pendingFrames;
  private long headerId;
  private MkvHeader header;
  private long chunkArrivalMs;
  private long fragmentTimecode = -1;
  private String fragmentNumber;
  private long fragmentServerMs;
  private ServerTimestamps serverTimestamps;
  /** Fragments sealed but not yet acked PERSISTED, oldest first. */
  private final ArrayDeque<Unacked> unacked = new ArrayDeque<>();

  /** A sealed fragment waiting for durability, with what its PERSISTED ack names. */
  private record Unacked(long timecode, String fragmentNumber,
      CompletableFuture<FragmentRecord> durable) {}

  PutMediaSession(PutMediaOperation owner, ChannelHandlerContext ctx, HttpRequest request,
      String requestId, SerialExecutor executor) {
    this.owner = owner;
    this.ctx = ctx;
    this.request = request;
    this.requestId = requestId;
    this.executor = executor;
    this.limits = owner.limits();
  }

  /** Called on the event loop with the request head. */
  void begin() {
    lastDataMs = owner.clock().millis();
    startedMs = lastDataMs;
    executor.execute(this::open);
  }

  private void open() {
    try {
      VerifiedCaller caller = owner.authenticator().authenticate(SignedRequests.of(request, null));
      String namedStream = request.headers().get(PutMediaHeaders.STREAM_NAME);
      String namedArn = request.headers().get(PutMediaHeaders.STREAM_ARN);
      owner.authorizer().check(caller, "PutMedia", namedStream != null ? namedStream
          : namedArn == null ? null : StreamArns.name(namedArn).orElse(namedArn));
      headers = PutMediaHeaders.parse(name -> request.headers().get(name));
      stream = owner.streams().resolve(headers.streamName(), headers.streamArn());
      if (!owner.claim(stream.streamId())) {
        throw ApiException.of(AwsError.CONNECTION_LIMIT_EXCEEDED,
            "A PutMedia connection is already open on stream " + stream.name() + ".");
      }
      claimed = true;
      // Streams without retention are stored too: they keep AWS's live buffer for GetMedia
      // (RetentionService keeps it to the last few minutes), but their fragments are not archived.
      appender = owner.fragments().openAppender(stream.streamId());
      pendingFrames = new PendingFrameReader(appender);
      serverTimestamps = new ServerTimestamps(newestServerMs());
      parser = new MkvIngestParser(this, new IngestLimits(limits.maxFragmentBytes(),
          limits.maxFragmentDurationMs() * 1_000_000L, limits.maxTracks(),
          IngestLimits.kvsDefaults().maxHeaderBytes()));
    } catch (ApiException e) {
      refuse(e);
      return;
    } catch (IOException | RuntimeException e) {
      LOG.error("PutMedia request {} could not start", requestId, e);
      refuse(ApiException.of(AwsError.INTERNAL_FAILURE, "Internal error; request id " + requestId));
      return;
    }
    state = State.OPEN;
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpResponses.JSON_CONTENT_TYPE);
    head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    head.headers().set(HttpResponses.REQUEST_ID_HEADER, requestId);
    ctx.writeAndFlush(head);
    ctx.executor().execute(this::startIdleTimer);
    LOG.info("PutMedia to {} started ({} timecodes)", stream.name(), headers.timecodeType());
  }

  /** Holds the fragment back until the server clock has reached its server timestamp. */
  private void awaitServerTime() {
    long waitMs = ServerTimestamps.waitMs(fragmentServerMs, owner.clock().millis());
    if (waitMs > 0) {
      try {
        Thread.sleep(waitMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // shutting down: commit now rather than lose it
      }
    }
  }

  /**
   * The server timestamp of the stream's newest stored fragment (the one before the appender's
   * next sequence; server timestamps grow with sequence), or Long.MIN_VALUE if there is none.
   */
  private long newestServerMs() throws IOException {
    long previous = appender.nextSequence() - 1;
    if (previous < 1) {
      return Long.MIN_VALUE;
    }
    return owner.fragments().bySequence(stream.streamId(), previous)
        .map(FragmentRecord::serverTimestampMs).orElse(Long.MIN_VALUE);
  }

  /** AWS acks PERSISTED only for streams that archive (retention above 0). */
  private boolean acksPersisted() {
    return stream.dataRetentionHours() > 0;
  }

  private void refuse(ApiException e) {
    state = State.ENDED;
    releaseStream();
    LOG.info("PutMedia request {} refused: {} {}", requestId, e.error().wireName(), e.getMessage());
    ctx.writeAndFlush(HttpResponses.error(e, requestId)).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void onContent(HttpContent content) {
    if (state == State.ENDED) {
      content.release();
      return;
    }
    long arrivalMs = owner.clock().millis();
    lastDataMs = arrivalMs;
    int size = content.content().readableBytes();
    queuedBytes += size;
    if (queuedBytes > MAX_QUEUED_BYTES) {
      ctx.channel().config().setAutoRead(false);
    }
    executor.execute(() -> {
      try {
        process(content, arrivalMs);
      } finally {
        content.release();
        ctx.executor().execute(() -> dequeued(size));
      }
    });
  }

  private void dequeued(int size) {
    queuedBytes -= size;
    if (queuedBytes < RESUME_BELOW_BYTES && !ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void process(HttpContent content, long arrivalMs) {
    if (state != State.OPEN) {
      return;
    }
    chunkArrivalMs = arrivalMs;
    try {
      for (ByteBuffer piece : content.content().nioBuffers()) {
        parser.feed(piece);
      }
      if (content instanceof LastHttpContent) {
        parser.finish();
        if (settleUnacked()) {
          end(false);
        }
      }
    } catch (MediaFormatException e) {
      fail(e.ackErrorId(), e.getMessage());
    } catch (UncheckedArchiveException e) {
      LOG.error("PutMedia to {}: archiving fragment {} failed", stream.name(), fragmentNumber,
          e.getCause());
      fail(AckErrors.ARCHIVAL_ERROR, e.getCause().toString());
    } catch (StorageException e) {
      // The catalogue database failed (disk full, I/O error): storage, not a bug of ours.
      LOG.error("PutMedia to {}: archiving fragment {} failed", stream.name(), fragmentNumber, e);
      fail(AckErrors.ARCHIVAL_ERROR, e.toString());
    } catch (RuntimeException e) {
      LOG.error("PutMedia to {}: internal error", stream.name(), e);
      fail(AckErrors.INTERNAL_ERROR, e.toString());
    }
  }

  @Override
  public void onHeader(MkvHeader header) throws MediaFormatException {
    this.header = header;
    try {
      headerId = owner.fragments().putHeader(stream.streamId(), header.rawBytes());
    } catch (IOException e) {
      throw new UncheckedArchiveException(e);
    }
  }

  @Override
  public void onFragmentStart(long clusterTimecodeTicks) throws MediaFormatException {
    long ageMs = owner.clock().millis() - startedMs;
    if (ageMs >= limits.maxPutMediaConnectionMs()) {
      // AWS ends a connection at its limit; the fragments before are kept, the next is refused.
      throw MediaFormatException.ingestRejected(AckErrors.MAX_CONNECTION_DURATION_REACHED,
          "the connection has been open " + ageMs + " ms, the most is "
              + limits.maxPutMediaConnectionMs() + " ms; reconnect");
    }
    fragmentTimecode = clusterTimecodeTicks;
    fragmentServerMs = serverTimestamps.next(chunkArrivalMs);
    long sequence;
    try {
      sequence = appender.nextSequence();
    } catch (IOException e) {
      throw new UncheckedArchiveException(e);
    }
    fragmentNumber = FragmentNumbers.format(sequence);
    ack(AckEvent.of(AckEvent.BUFFERING, fragmentTimecode, fragmentNumber));
  }

  @Override
  public void onFragmentBytes(ByteBuffer bytes) {
    try {
      appender.write(bytes);
    } catch (IOException e) {
      throw new UncheckedArchiveException(e);
    }
  }

  @Override
  public void onFragmentEnd(FrameTable frames, long fragmentSizeBytes)
      throws MediaFormatException {
    long producerMs = producerTimestampMs(frames);
    ack(AckEvent.of(AckEvent.RECEIVED, fragmentTimecode, fragmentNumber));
    try {
      // Flag Annex-B and unparsable video frames now, so GetClip decides from the index alone.
      pendingFrames.reset(); // a new fragment: the window holds the previous one's bytes
      FrameTable inspected = FrameInspection.inspect(header, frames, pendingFrames);
      awaitServerTime();
      CompletableFuture<FragmentRecord> durable = appender.commitAsync(new FragmentMetadata(
          producerMs, fragmentServerMs, FragmentDurations.durationMs(header, inspected), headerId,
          inspected.encode()));
      unacked.add(new Unacked(fragmentTimecode, fragmentNumber, durable));
      // The next fragment is received while this one is made durable; acks follow in order.
      durable.whenComplete((record, failure) -> executor.execute(this::onDurable));
    } catch (IOException e) {
      throw new UncheckedArchiveException(e);
    }
    fragmentTimecode = -1;
    fragmentNumber = null;
  }

  /** On the serial executor when a sealed fragment's durability is settled. */
  private void onDurable() {
    if (state != State.OPEN) {
      return;
    }
    Unacked failed = ackDurable();
    if (failed != null) {
      failArchiving(failed);
    }
  }

  /**
   * Acks PERSISTED, in order, every sealed fragment whose durability is settled, stopping at the
   * first that failed, which it returns (null if none).
   */
  private Unacked ackDurable() {
    while (!unacked.isEmpty() && unacked.peek().durable().isDone()) {
      Unacked next = unacked.poll();
      FragmentRecord record;
      try {
        record = next.durable().join();
      } catch (CompletionException | java.util.concurrent.CancellationException e) {
        return next;
      }
      owner.events().persisted(record);
      if (acksPersisted()) {
        ack(AckEvent.of(AckEvent.PERSISTED, next.timecode(),
            FragmentNumbers.format(record.sequence())));
      }
    }
    return null;
  }

  /**
   * Waits until every sealed fragment is durable or failed and acks them; if one failed, ends the
   * session with its archival error and returns false.
   */
  private boolean settleUnacked() {
    for (Unacked u : unacked) {
      try {
        u.durable().join();
      } catch (CompletionException | java.util.concurrent.CancellationException e) {
        break; // later ones fail too
      }
    }
    Unacked failed = ackDurable();
    if (failed != null) {
      failArchiving(failed);
      return false;
    }
    return true;
  }

  private void failArchiving(Unacked failed) {
    Throwable cause = failed.durable().handle((r, e) -> e instanceof CompletionException c
        ? c.getCause() : e).join();
    LOG.error("PutMedia to {}: archiving fragment {} failed", stream.name(),
        failed.fragmentNumber(), cause);
    unacked.clear(); // the fragments sealed after it failed too; this is the one reported
    fragmentTimecode = failed.timecode();
    fragmentNumber = failed.fragmentNumber();
    fail(AckErrors.ARCHIVAL_ERROR, String.valueOf(cause));
  }

  /** ABSOLUTE: the cluster timecode; RELATIVE: the producer start timestamp plus it (spec §1.4). */
  private long producerTimestampMs(FrameTable frames) throws MediaFormatException {
    try {
      long clusterMs = Math.multiplyExact(frames.clusterTimecodeTicks(), frames.timecodeScaleNs())
          / 1_000_000L;
      long ms = headers.timecodeType() == io.framekeep.api.TimecodeType.RELATIVE
          ? Math.addExact(headers.producerStartTimestampMs(), clusterMs)
          : clusterMs;
      if (ms < 0) {
        throw MediaFormatException.ingestRejected(AckErrors.INVALID_PRODUCER_TIMESTAMP,
            "producer timestamp " + ms + " ms is before 1970");
      }
      return ms;
    } catch (ArithmeticException e) {
      throw MediaFormatException.ingestRejected(AckErrors.INVALID_PRODUCER_TIMESTAMP,
          "producer timestamp overflows");
    }
  }

  private void ack(AckEvent event) {
    ctx.writeAndFlush(new DefaultHttpContent(
        Unpooled.copiedBuffer(event.toJsonLine(), StandardCharsets.UTF_8)));
  }

  private void fail(int errorId, String message) {
    if (state != State.OPEN) {
      return;
    }
    if (!unacked.isEmpty()) {
      // Fragments sealed before the failure are acked first, as they were before pipelining.
      long timecode = fragmentTimecode;
      String number = fragmentNumber;
      if (!settleUnacked()) {
        return; // an earlier fragment failed to archive: that is the error reported
      }
      fragmentTimecode = timecode;
      fragmentNumber = number;
    }
    LOG.warn("PutMedia to {} ended with error {} ({}): {}", stream.name(), errorId,
        AckErrors.name(errorId), message);
    ack(AckEvent.error(fragmentTimecode, fragmentNumber, errorId));
    end(true);
  }

  /** Ends the response; after an error the connection is closed since the body may still flow. */
  private void end(boolean close) {
    state = State.ENDED;
    discardPending();
    releaseStream();
    var f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    if (close) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
    ctx.executor().execute(this::stopIdleTimer);
    LOG.info("PutMedia to {} ended", stream == null ? "?" : stream.name());
  }

  @Override
  public void onConnectionClosed() {
    stopIdleTimer();
    executor.execute(() -> {
      if (state == State.OPEN) {
        state = State.ENDED;
        LOG.info("PutMedia to {}: connection closed by the producer", stream.name());
      }
      discardPending();
      releaseStream();
    });
  }

  private void discardPending() {
    if (appender != null) {
      try {
        appender.close();
      } catch (IOException e) {
        LOG.warn("discarding the unfinished fragment of {} failed", stream.name(), e);
      }
      appender = null;
    }
  }

  private void releaseStream() {
    if (claimed) {
      claimed = false;
      owner.release(stream.streamId());
    }
  }

  private void startIdleTimer() {
    long period = limits.putMediaIdleAckPeriodMs();
    idleTimer = ctx.executor().scheduleAtFixedRate(this::checkIdle, period, period,
        TimeUnit.MILLISECONDS);
  }

  private void stopIdleTimer() {
    if (idleTimer != null) {
      idleTimer.cancel(false);
      idleTimer = null;
    }
  }

  /** On the event loop: IDLE acks while the producer is silent, the end after the idle timeout. */
  private void checkIdle() {
    if (state != State.OPEN) {
      stopIdleTimer();
      return;
    }
    long silentMs = owner.clock().millis() - lastDataMs;
    if (silentMs >= limits.putMediaIdleTimeoutMs()) {
      executor.execute(() -> {
        if (state == State.OPEN) {
          LOG.info("PutMedia to {}: no data for {} ms, closing", stream.name(), silentMs);
          end(true);
        }
      });
    } else if (silentMs >= limits.putMediaIdleAckPeriodMs()) {
      executor.execute(() -> {
        if (state == State.OPEN) {
          ack(AckEvent.idle());
        }
      });
    }
  }

  /** Carries a storage failure out of a parser callback; mapped to ack 5001. */
  static final class UncheckedArchiveException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UncheckedArchiveException(IOException cause) {
      super(cause);
    }
  }
}
