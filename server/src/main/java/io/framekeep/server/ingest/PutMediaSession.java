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
import io.framekeep.server.http.SignedRequests;
import io.framekeep.server.http.StorageFailures;
import io.framekeep.server.http.StreamingOperation;
import io.framekeep.server.memory.MemoryBudget;
import io.framekeep.storage.FragmentAppender;
import io.framekeep.storage.StreamBusyException;
import io.framekeep.storage.FragmentMetadata;
import io.framekeep.storage.FragmentRecord;
import io.framekeep.storage.StorageException;
import io.framekeep.storage.StreamRecord;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * order on this session's {@link SerialExecutor}.
 *
 * <p>Memory is bounded, for this upload and with all others: at most {@link
 * BodyQueue#MAX_QUEUED_BYTES} of body wait for the executor (past that the connection stops
 * reading, so TCP back-pressure reaches the producer, until the queue drains below {@link
 * BodyQueue#RESUME_BELOW_BYTES}); the body is parsed in pieces of at most {@link
 * #FEED_SLICE_BYTES}, and before each piece the session waits while its
 * unsent acks are past {@link AckBacklog#MAX_UNSENT_ACK_BYTES}, while AWS's per-stream rates
 * ({@link IngestPacer}) are spent, and while the server's {@link MemoryBudget} is spent and this
 * session holds more than {@link #SESSION_FLOOR_BYTES}. Queued body bytes, the header and frame
 * table being parsed, and unsent acks are all charged to the budget.
 *
 * <p>Credential rotation (a newer connection takes the stream over): see {@link Superseded}.
 *
 * <p>Ending: see {@link SessionEnding}.
 */
final class PutMediaSession implements StreamingOperation.Upload, MkvIngestParser.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(PutMediaSession.class);
  /**
   * 16 KiB: the most body parsed between two checks of the budget. Its worst case, fixed-laced
   * 1-byte frames (about 256 frames per 264 bytes), grows the frame table by about 16 K frames,
   * 400 KB: that, not the 256 KiB an HTTP chunk may hold, is what one session can take past the
   * budget.
   */
  static final int FEED_SLICE_BYTES = 16 * 1024;
  /**
   * 1 MiB: what a session may hold (header, frame table, unsent acks) even when the budget is
   * spent, so uploads of ordinary media (a header of a few KB, frame tables of a few KB per
   * fragment) keep flowing while hostile ones are held back.
   */
  static final long SESSION_FLOOR_BYTES = 1024 * 1024;
  /** The header is kept twice for the session: its raw bytes and its parsed CodecPrivate. */
  private static final int HEADER_COPIES = 2;

  /** ENDING: no more parsing; waiting for the sealed fragments' durability, then the end. */
  private enum State { STARTING, OPEN, ENDING, ENDED }

  private final PutMediaOperation owner;
  private final ChannelHandlerContext ctx;
  private final HttpRequest request;
  private final String requestId;
  private final SerialExecutor executor;
  private final ServiceLimits limits;
  private final StreamClaims<PutMediaSession> claims;
  private final MemoryBudget budget;
  private final AckBacklog backlog;
  private final AckResponse response;
  private final SessionTimeouts timeouts;
  /** Completed to let queued tasks run past any wait: the session is being ended from outside. */
  private final CompletableFuture<Void> stopRequested = new CompletableFuture<>();
  /** Completed when the connection closes: an ending session stops waiting to send acks. */
  private final CompletableFuture<Void> connectionClosed = new CompletableFuture<>();
  /** Set when a newer connection asked for the stream. */
  private volatile boolean superseded;

  /** When the request head arrived; written before the session's first task, read by it. */
  private volatile long startedMs;
  /** Touched on the event loop only. */
  private final BodyQueue body;
  private boolean bodyEnded;

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
  private IngestPacer pacer;
  private int fragmentsStarted;
  /** Parser and header bytes charged to the budget now. */
  private long chargedParserBytes;
  private long chargedHeaderBytes;
  /**
   * Parser events of a successor's first fragment(s), held until it owns the stream: at most what
   * one {@link #FEED_SLICE_BYTES} slice emits (the session stops parsing once one is held).
   */
  private final ArrayDeque<ParseStep> held = new ArrayDeque<>();
  private ServerTimestamps serverTimestamps;
  /** Fragments sealed but not yet acked PERSISTED, oldest first. */
  private final SealedFragments unacked;

  PutMediaSession(PutMediaOperation owner, ChannelHandlerContext ctx, HttpRequest request,
      String requestId, SerialExecutor executor) {
    this.owner = owner;
    this.ctx = ctx;
    this.request = request;
    this.requestId = requestId;
    this.executor = executor;
    this.limits = owner.limits();
    this.claims = owner.claims();
    this.budget = owner.budget();
    this.backlog = new AckBacklog(budget, owner.clock());
    this.response = new AckResponse(ctx, requestId, backlog);
    this.timeouts = new SessionTimeouts(limits, backlog, owner.clock().millis());
    this.body = new BodyQueue(ctx, budget, () -> timeouts.restartSilence(owner.clock().millis()));
    this.unacked = new SealedFragments(() -> {
      long nowMs = owner.clock().millis();
      ctx.executor().execute(() -> timeouts.restartSilence(nowMs));
    });
  }

  /** Called on the event loop with the request head. */
  void begin() {
    startedMs = owner.clock().millis();
    timeouts.heard(startedMs);
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
      owner.requestRate().acquire(stream.streamId());
      StreamClaims.Claim role = claims.claim(stream.streamId(), this);
      if (role == StreamClaims.Claim.REFUSED) {
        throw ApiException.of(AwsError.CONNECTION_LIMIT_EXCEEDED,
            "A PutMedia connection is already open on stream " + stream.name()
                + ", and another is taking over from it.");
      }
      claimed = true;
      if (role == StreamClaims.Claim.OWNER) {
        openAppender();
      }
      pacer = limits.fragmentQuotasEnabled() ? IngestPacer.aws(owner.clock().millis()) : null;
      parser = new MkvIngestParser(this, new IngestLimits(limits.maxFragmentBytes(),
          limits.maxFragmentDurationMs() * 1_000_000L, limits.maxTracks(),
          IngestLimits.kvsDefaults().maxHeaderBytes()));
    } catch (ApiException e) {
      refuse(e);
      return;
    } catch (StreamBusyException e) {
      // Another server sharing the storage (a cluster node) has the stream's upload.
      refuse(ApiException.of(AwsError.CONNECTION_LIMIT_EXCEEDED,
          "A PutMedia connection is already open on stream " + stream.name() + "."));
      return;
    } catch (IOException | RuntimeException e) {
      java.util.Optional<ApiException> unavailable = StorageFailures.unavailable(e);
      if (unavailable.isPresent()) {
        LOG.warn("PutMedia request {} refused, storage unavailable: {}", requestId, e.toString());
        refuse(unavailable.get());
        return;
      }
      LOG.error("PutMedia request {} could not start", requestId, e);
      refuse(ApiException.of(AwsError.INTERNAL_FAILURE, "Internal error; request id " + requestId));
      return;
    }
    state = State.OPEN;
    response.start();
    ctx.executor().execute(() -> timeouts.start(ctx.executor(), this::checkIdle));
    LOG.info("PutMedia to {} started ({} timecodes)", stream.name(), headers.timecodeType());
  }

  /**
   * Streams without retention are stored too: they keep AWS's live buffer for GetMedia
   * (RetentionService keeps it to the last few minutes), but their fragments are not archived.
   */
  private void openAppender() throws IOException {
    appender = owner.fragments().openAppender(stream.streamId());
    pendingFrames = new PendingFrameReader(appender);
    serverTimestamps = ServerTimestamps.following(owner.fragments(), stream.streamId(),
        appender.nextSequence());
  }

  /** AWS acks PERSISTED only for streams that archive (retention above 0). */
  private boolean acksPersisted() {
    return stream.dataRetentionHours() > 0;
  }

  private void refuse(ApiException e) {
    state = State.ENDED;
    releaseStream();
    LOG.info("PutMedia request {} refused: {} {}", requestId, e.error().wireName(), e.getMessage());
    response.refuse(e);
  }

  @Override
  public void onContent(HttpContent content) {
    if (content instanceof LastHttpContent) {
      bodyEnded = true;
    }
    long arrivalMs = owner.clock().millis();
    timeouts.heard(arrivalMs);
    if (state == State.ENDED || state == State.ENDING) {
      content.release(); // nothing more is parsed
      return;
    }
    int size = content.content().readableBytes();
    body.queued(size);
    BodyPiece piece = new BodyPiece(content, arrivalMs, size);
    executor.execute(() -> feed(piece));
  }

  /**
   * On the serial executor: parses the piece slice by slice, waiting (without holding a thread)
   * whenever {@link #waitBeforeParsing} says so, and, for a successor, until it owns the stream
   * once its first fragment has begun; releases the piece when done.
   */
  private void feed(BodyPiece piece) {
    try {
      while (state == State.OPEN && !stopRequested.isDone()) {
        if (appender == null && !held.isEmpty()) {
          if (!takeOver(() -> feed(piece))) {
            return; // resumes here once this session owns the stream
          }
          replayHeld();
          continue;
        }
        if (piece.parsed) {
          endOfBody();
          break;
        }
        SealedFragments.Sealed failed = ackDurable(); // PERSISTED acks do not wait behind the body
        if (failed != null) {
          failArchiving(failed);
          continue;
        }
        CompletionStage<?> wait = waitBeforeParsing();
        if (wait != null) {
          executor.deferUntil(CompletableFuture.anyOf(wait.toCompletableFuture(), stopRequested,
              unacked.oldest()), () -> feed(piece));
          return;
        }
        timeouts.budgetWaitEnded();
        ByteBuffer slice = piece.next(FEED_SLICE_BYTES);
        if (slice == null && !piece.last()) {
          break;
        }
        chunkArrivalMs = piece.arrivalMs;
        if (slice == null) {
          piece.parsed = true;
          parse(parser::finish);
          continue;
        }
        int sliceBytes = slice.remaining();
        parse(() -> parser.feed(slice));
        if (pacer != null) {
          pacer.spend(fragmentsStarted, sliceBytes, owner.clock().millis());
        }
        fragmentsStarted = 0;
        chargeParser();
        if (superseded && appender != null && fragmentNumber == null && state == State.OPEN) {
          endSuperseded();
        }
      }
    } catch (RuntimeException e) {
      LOG.error("PutMedia request {}: internal error", requestId, e);
    }
    piece.content.release();
    ctx.executor().execute(() -> body.dequeued(piece.size));
  }

  /**
   * The whole body is parsed and every fragment handed to storage: ack the rest as storage makes
   * them durable (however slow, up to the durability wait) and end; never ended by the idle rule.
   */
  private void endOfBody() {
    endAfterSettling(SessionEnding.clean());
  }

  /** Runs what the parser emitted before this session owned the stream, in order. */
  private void replayHeld() {
    while (state == State.OPEN && !held.isEmpty()) {
      parse(held.poll());
    }
    held.clear();
  }

  /** Null to parse now, or what to wait for first. */
  private CompletionStage<?> waitBeforeParsing() {
    CompletableFuture<Void> acks = backlog.overBound();
    if (acks != null) {
      return acks;
    }
    if (pacer != null) {
      long ms = pacer.waitMs(owner.clock().millis());
      if (ms > 0) {
        CompletableFuture<Void> later = new CompletableFuture<>();
        ctx.executor().schedule(() -> later.complete(null), ms, TimeUnit.MILLISECONDS);
        return later;
      }
    }
    long held = chargedParserBytes + chargedHeaderBytes + backlog.unsentBytes();
    if (held > SESSION_FLOOR_BYTES && budget.exhausted()) {
      timeouts.budgetWaitStarted(owner.clock().millis());
      return budget.whenAvailable();
    }
    return null;
  }

  /** Brings the budget's charge for the parser's growing state up to date. */
  private void chargeParser() {
    long now = parser == null || state != State.OPEN ? 0 : parser.retainedBytes();
    long delta = now - chargedParserBytes;
    if (delta > 0) {
      budget.charge(delta);
    } else if (delta < 0) {
      budget.release(-delta);
    }
    chargedParserBytes = now;
  }

  private void releaseCharges() {
    budget.release(chargedParserBytes + chargedHeaderBytes);
    chargedParserBytes = 0;
    chargedHeaderBytes = 0;
  }

  /**
   * True when this session owns the stream and its appender is open (or the session has ended);
   * false when it had to wait for the owner to hand over, in which case {@code retry} runs once it
   * may go on.
   */
  private boolean takeOver(Runnable retry) {
    CompletableFuture<Void> owns = claims.ownership(stream.streamId(), this);
    if (owns.isDone()) {
      if (owns.isCancelled()) {
        state = State.ENDED; // gave up its place (connection closed): nothing more to parse
        return true;
      }
      try {
        openAppender();
      } catch (IOException e) {
        LOG.error("PutMedia to {}: could not take over the stream", stream.name(), e);
        fail(AckErrors.ARCHIVAL_ERROR, e.toString());
      }
      return true;
    }
    PutMediaSession current = claims.owner(stream.streamId());
    LOG.info("PutMedia to {}: a new connection takes over the stream", stream.name());
    if (current != null) {
      current.handOver();
      ScheduledFuture<?> deadline = ctx.executor().schedule(current::forceHandOver,
          limits.maxFragmentDurationMs(), TimeUnit.MILLISECONDS);
      owns.whenComplete((r, e) -> deadline.cancel(false));
    }
    executor.deferUntil(CompletableFuture.anyOf(owns, stopRequested), retry);
    return false;
  }

  /** A newer connection asks for the stream: end after the fragment in progress, if any. */
  void handOver() {
    superseded = true;
    executor.execute(() -> {
      if (state == State.OPEN && fragmentNumber == null) {
        endSuperseded();
      }
    });
  }

  /** The newer connection waited too long: end now, dropping the unfinished fragment. */
  private void forceHandOver() {
    stopRequested.complete(null);
    executor.execute(() -> {
      if (state == State.OPEN) {
        LOG.warn("PutMedia to {}: fragment {} unfinished {} ms after a new connection took over;"
            + " dropped", stream.name(), fragmentNumber, limits.maxFragmentDurationMs());
        endAfterSettling(SessionEnding.closing());
      }
    });
  }

  /** Acks what is archived and ends the response cleanly; the newer connection continues. */
  private void endSuperseded() {
    LOG.info("PutMedia to {}: handed over to the newer connection", stream.name());
    endAfterSettling(SessionEnding.handedOver());
  }

  /** After a handed-over session's clean end: its body should end soon too. */
  private void drainSuperseded() {
    ctx.executor().schedule(() -> {
      if (!bodyEnded && ctx.channel().isActive()) {
        ctx.close(); // still sending after its end: nothing of it is read any more
      }
    }, SessionEnding.SUPERSEDED_DRAIN_MS, TimeUnit.MILLISECONDS);
  }

  /** A step of parsing: feeding the parser, or a parser event held back to run now. */
  @FunctionalInterface
  private interface ParseStep {
    void run() throws MediaFormatException;
  }

  /** Runs one parsing step; a failure ends the session with the matching ERROR ack. */
  private void parse(ParseStep step) {
    if (state != State.OPEN) {
      return;
    }
    try {
      step.run();
    } catch (Superseded e) {
      endSuperseded();
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
    chargedHeaderBytes = (long) header.rawBytes().length * HEADER_COPIES;
    budget.charge(chargedHeaderBytes);
    try {
      headerId = owner.fragments().putHeader(stream.streamId(), header.rawBytes());
    } catch (IOException e) {
      throw new UncheckedArchiveException(e);
    }
  }

  @Override
  public void onFragmentStart(long clusterTimecodeTicks) throws MediaFormatException {
    if (appender == null) {
      long arrivalMs = chunkArrivalMs;
      held.add(() -> {
        chunkArrivalMs = arrivalMs;
        onFragmentStart(clusterTimecodeTicks);
      });
      return;
    }
    if (superseded) {
      throw new Superseded(); // the newer connection continues from here
    }
    fragmentsStarted++;
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
    response.ack(AckEvent.of(AckEvent.BUFFERING, fragmentTimecode, fragmentNumber));
  }

  @Override
  public void onFragmentBytes(ByteBuffer bytes) {
    if (appender == null) {
      byte[] copy = new byte[bytes.remaining()];
      bytes.get(copy);
      held.add(() -> onFragmentBytes(ByteBuffer.wrap(copy)));
      return;
    }
    try {
      appender.write(bytes);
    } catch (IOException e) {
      throw new UncheckedArchiveException(e);
    }
  }

  @Override
  public void onFragmentEnd(FrameTable frames, long fragmentSizeBytes)
      throws MediaFormatException {
    if (appender == null) {
      held.add(() -> onFragmentEnd(frames, fragmentSizeBytes));
      return;
    }
    long producerMs = ProducerTimestamps.of(headers, frames);
    response.ack(AckEvent.of(AckEvent.RECEIVED, fragmentTimecode, fragmentNumber));
    try {
      // Flag Annex-B and unparsable video frames now, so GetClip decides from the index alone.
      pendingFrames.reset(); // a new fragment: the window holds the previous one's bytes
      FrameTable inspected = FrameInspection.inspect(header, frames, pendingFrames);
      ServerTimestamps.awaitClock(fragmentServerMs, owner.clock());
      CompletableFuture<FragmentRecord> durable = appender.commitAsync(new FragmentMetadata(
          producerMs, fragmentServerMs, FragmentDurations.durationMs(header, inspected), headerId,
          inspected.encode()));
      unacked.add(fragmentTimecode, fragmentNumber, durable);
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
    SealedFragments.Sealed failed = ackDurable();
    if (failed != null) {
      failArchiving(failed);
    }
  }

  /**
   * Acks PERSISTED, in order, every sealed fragment whose durability is settled, stopping at the
   * first that failed, which it returns (null if none).
   */
  private SealedFragments.Sealed ackDurable() {
    return unacked.ackSettled((sealed, record) -> {
      owner.events().persisted(record);
      if (acksPersisted()) {
        response.ack(AckEvent.of(AckEvent.PERSISTED, sealed.timecode(),
            FragmentNumbers.format(record.sequence())));
      }
    });
  }

  /** Ends an open session for a fragment whose durability failed (ERROR 5001). */
  private void failArchiving(SealedFragments.Sealed failed) {
    reportArchivingFailure(failed);
    end(true);
  }

  /**
   * Logs and acks the failure of {@code failed} (ERROR 5001); the fragments sealed after it fail
   * too (futures fail in seal order), and this one, the first, is the one reported.
   */
  private void reportArchivingFailure(SealedFragments.Sealed failed) {
    Throwable cause = failed.failure();
    LOG.error("PutMedia to {}: archiving fragment {} failed", stream.name(),
        failed.fragmentNumber(), cause);
    unacked.clear();
    LOG.warn("PutMedia to {} ended with error {} ({}): {}", stream.name(), AckErrors.ARCHIVAL_ERROR,
        AckErrors.name(AckErrors.ARCHIVAL_ERROR), cause);
    response.ack(AckEvent.error(failed.timecode(), failed.fragmentNumber(), AckErrors.ARCHIVAL_ERROR));
  }

  /** Ends the session with {@code errorId} for the fragment in progress, after the sealed ones. */
  private void fail(int errorId, String message) {
    if (state != State.OPEN) {
      return;
    }
    endAfterSettling(
        new SessionEnding(errorId, fragmentTimecode, fragmentNumber, message, true, false));
  }

  /**
   * On the serial executor: stops parsing and ends the session once every sealed fragment is
   * settled, acking each PERSISTED as it becomes durable, waiting without holding a thread and at
   * most {@link ServiceLimits#putMediaDurabilityWaitMs}; then acks {@code ending}'s ERROR, if any,
   * and ends the response. A fragment whose durability fails is reported instead (ERROR 5001).
   */
  private void endAfterSettling(SessionEnding ending) {
    if (state != State.OPEN) {
      return;
    }
    state = State.ENDING;
    CompletableFuture<Void> deadline = new CompletableFuture<>();
    ScheduledFuture<?> timer = ctx.executor().schedule(() -> deadline.complete(null),
        limits.putMediaDurabilityWaitMs(), TimeUnit.MILLISECONDS);
    settleThenEnd(ending, deadline, timer);
  }

  private void settleThenEnd(SessionEnding ending, CompletableFuture<Void> deadline,
      ScheduledFuture<?> timer) {
    if (state != State.ENDING || connectionClosed.isDone()) {
      timer.cancel(false);
      return; // nobody to ack to: onConnectionClosed's task releases what is held
    }
    SealedFragments.Sealed failed = ackDurable();
    if (failed != null) {
      timer.cancel(false);
      reportArchivingFailure(failed);
      end(true);
      return;
    }
    if (!unacked.isEmpty() && !deadline.isDone()) {
      executor.deferUntil(CompletableFuture.anyOf(unacked.oldest(), deadline, connectionClosed),
          () -> settleThenEnd(ending, deadline, timer));
      return;
    }
    timer.cancel(false);
    boolean abandoned = abandonUnsettled();
    if (ending.errorId() != 0) {
      LOG.warn("PutMedia to {} ended with error {} ({}): {}", stream.name(), ending.errorId(),
          AckErrors.name(ending.errorId()), ending.message());
      response.ack(AckEvent.error(ending.timecode(), ending.fragmentNumber(), ending.errorId()));
    }
    end(ending.close() || abandoned || ending.errorId() != 0);
    if (ending.superseded() && !ending.close()) {
      drainSuperseded();
    }
  }

  /**
   * Past the durability wait: ERROR 5001 for every sealed fragment storage has not settled, and
   * true if there was one. Storage may still make such a fragment durable (it cannot be called
   * back); the ERROR says its persistence could not be confirmed, so the producer keeps its copy.
   */
  private boolean abandonUnsettled() {
    List<SealedFragments.Sealed> left = unacked.clear();
    if (left.isEmpty()) {
      return false;
    }
    LOG.warn("PutMedia to {}: {} fragments not durable {} ms after the session began to end;"
        + " acked ERROR {} ({})", stream.name(), left.size(), limits.putMediaDurabilityWaitMs(),
        AckErrors.ARCHIVAL_ERROR, AckErrors.name(AckErrors.ARCHIVAL_ERROR));
    for (SealedFragments.Sealed u : left) {
      response.ack(AckEvent.error(u.timecode(), u.fragmentNumber(), AckErrors.ARCHIVAL_ERROR));
    }
    return true;
  }

  /** Ends the session and its response ({@link AckResponse#end}: {@code close} after an error). */
  private void end(boolean close) {
    state = State.ENDED;
    releaseCharges();
    discardPending();
    releaseStream();
    response.end(close);
    ctx.executor().execute(timeouts::stop);
    LOG.info("PutMedia to {} ended", stream == null ? "?" : stream.name());
  }

  @Override
  public void onConnectionClosed() {
    timeouts.stop();
    stopRequested.complete(null);
    connectionClosed.complete(null);
    executor.execute(() -> {
      if (state == State.OPEN || state == State.ENDING) {
        LOG.info("PutMedia to {}: connection closed by the producer{}", stream.name(),
            state == State.ENDING ? " while its session was ending" : "");
        state = State.ENDED;
      }
      releaseCharges();
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
      claims.release(stream.streamId(), this);
    }
  }

  /**
   * On the event loop, every IDLE-ack period: ends an open session that {@link SessionTimeouts}
   * finds overdue; otherwise, while no body bytes arrive, sends an IDLE ack (also while the session
   * waits to end, as a keep-alive), unless the client is not taking its acks anyway.
   */
  private void checkIdle() {
    State now = state;
    if (now == State.ENDED) {
      timeouts.stop();
      return;
    }
    long nowMs = owner.clock().millis();
    if (now == State.OPEN) {
      boolean producerOwesData = !bodyEnded && body.empty() && !unacked.awaitingDurability()
          && body.reading();
      SessionTimeouts.Overdue overdue = timeouts.overdue(nowMs, producerOwesData);
      if (overdue != null) {
        timeouts.stop();
        endOverdue(overdue);
        return;
      }
    }
    if (timeouts.idleAckDue(nowMs)) {
      // Written from the event loop, so never behind the executor's waits; never after the end,
      // which the executor writes only after setting ENDED.
      response.ack(AckEvent.idle());
    }
  }

  /**
   * Ends an open session a timeout found overdue: its sealed fragments are acked as storage settles
   * them; the fragment in progress gets ERROR 4000 (STREAM_READ_ERROR: its body stopped); a session
   * that ended with acks not read or held back by the budget gets ERROR 4000 even between
   * fragments (timecode -1), since body bytes it was sent went unread; the connection is closed.
   */
  private void endOverdue(SessionTimeouts.Overdue overdue) {
    stopRequested.complete(null); // a session waiting (budget, unread acks) ends too
    executor.execute(() -> {
      if (state != State.OPEN) {
        return;
      }
      LOG.info("PutMedia to {}: {}, closing", stream.name(), overdue.message());
      boolean inFragment = fragmentNumber != null;
      boolean errorOwed = inFragment || overdue.reason() != SessionTimeouts.Reason.IDLE;
      endAfterSettling(new SessionEnding(errorOwed ? AckErrors.STREAM_READ_ERROR : 0,
          inFragment ? fragmentTimecode : -1, fragmentNumber, overdue.message(), true, false));
    });
  }
}
