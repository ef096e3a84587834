package io.framekeep.server.ingest;

import io.framekeep.server.ServiceLimits;
import io.framekeep.server.StreamResolver;
import io.framekeep.server.auth.Authorizer;
import io.framekeep.server.http.Authenticator;
import io.framekeep.server.http.StreamingOperation;
import io.framekeep.server.memory.MemoryBudget;
import io.framekeep.storage.FragmentLog;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * {@code POST /putMedia}: starts one {@link PutMediaSession} per request. Per stream, one
 * connection appends and one newer connection may be taking over from it (credential rotation);
 * a third is refused ({@link StreamClaims}). Every session charges what it buffers to the server's
 * {@link MemoryBudget}. Thread-safe.
 */
public final class PutMediaOperation implements StreamingOperation {
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
