package io.framekeep.server.ingest;

import io.framekeep.server.ServiceLimits;
import io.framekeep.server.StreamResolver;
import io.framekeep.server.auth.Authorizer;
import io.framekeep.server.http.Authenticator;
import io.framekeep.server.http.StreamingOperation;
import io.framekeep.server.memory.MemoryBudget;
import io.framekeep.server.quota.RequestRate;
import io.framekeep.storage.FragmentLog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * {@code POST /putMedia}: starts one {@link PutMediaSession} per request. Per stream, one
 * connection appends and one newer connection may be taking over from it (credential rotation);
 * a third is refused ({@link StreamClaims}). Every session charges what it buffers to the server's
 * {@link MemoryBudget}. With the quotas on, more than {@link #AWS_REQUESTS_PER_SECOND} requests
 * per second on one stream are refused with ClientLimitExceededException (spec §3.7). Thread-safe.
 */
public final class PutMediaOperation implements StreamingOperation {
  /** AWS: 5 PutMedia requests per second per stream (hard limit); the 6th is throttled. */
  public static final int AWS_REQUESTS_PER_SECOND = 5;
  /**
   * One second's worth: AWS counts calls per second, so a rested stream takes five at once and
   * refuses the sixth (a producer reconnects once per connection, far below this).
   */
  static final int BURST_SECONDS = 1;

  private final Authenticator authenticator;
  private final Authorizer authorizer;
  private final StreamResolver streams;
  private final FragmentLog fragments;
  private final Executor blockingPool;
  private final ServiceLimits limits;
  private final Clock clock;
  private final FragmentEvents events;
  private final StreamClaims<PutMediaSession> claims = new StreamClaims<>();
  private final MemoryBudget budget;
  private final RequestRate requestRate;

  public PutMediaOperation(Authenticator authenticator, Authorizer authorizer,
      StreamResolver streams,
      FragmentLog fragments, FragmentEvents events, Executor blockingPool, ServiceLimits limits,
      Clock clock, MemoryBudget budget) {
    this.budget = budget;
    this.events = events;
    this.authenticator = authenticator;
    this.authorizer = authorizer;
    this.streams = streams;
    this.fragments = fragments;
    this.blockingPool = blockingPool;
    this.limits = limits;
    this.clock = clock;
    this.requestRate = new RequestRate(limits.fragmentQuotasEnabled(), AWS_REQUESTS_PER_SECOND,
        BURST_SECONDS, "PutMedia requests per stream", clock);
  }

  @Override
  public Upload start(ChannelHandlerContext ctx, HttpRequest request, String requestId) {
    PutMediaSession session = new PutMediaSession(this, ctx, request, requestId,
        new SerialExecutor(blockingPool));
    session.begin();
    return session;
  }

  StreamClaims<PutMediaSession> claims() {
    return claims;
  }

  /** Counts one request on the stream, or throws ClientLimitExceededException. */
  RequestRate requestRate() {
    return requestRate;
  }

  MemoryBudget budget() {
    return budget;
  }

  Authenticator authenticator() {
    return authenticator;
  }

  Authorizer authorizer() {
    return authorizer;
  }

  StreamResolver streams() {
    return streams;
  }

  FragmentLog fragments() {
    return fragments;
  }

  FragmentEvents events() {
    return events;
  }

  ServiceLimits limits() {
    return limits;
  }

  Clock clock() {
    return clock;
  }
}
