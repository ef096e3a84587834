package io.framekeep.server.ingest;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Which PutMedia sessions hold each stream: at most one <em>owner</em>, which appends fragments,
 * and at most one <em>successor</em>, a newer connection accepted while the owner still streams.
 *
 * <p>Why a successor: AWS's producer SDK rotates credentials (every 40 minutes) by opening a new
 * PutMedia about 3 s before it ends the old one, and AWS accepts that overlap. A third connection
 * while both are open is refused with ConnectionLimitExceededException, as AWS refuses any
 * connection past the one it allows per stream. How the successor takes over is the sessions'
 * business ({@link PutMediaSession}); this class only keeps the roles and tells a successor,
 * through {@link #ownership}, when it has become the owner.
 *
 * <p>{@code S} is the session type (PutMediaSession; anything in tests).
 *
 * <p>Thread-safe: every method holds the instance lock; futures complete outside it.
 */
final class StreamClaims<S> {
  /** The role a new session gets on its stream. */
  enum Claim { OWNER, SUCCESSOR, REFUSED }

  /** The two roles of one stream; a stream with neither has no entry. */
  private static final class Roles<S> {
    S owner;
    S successor;
    /** Completes when the successor becomes the owner. */
    CompletableFuture<Void> successorOwns;
  }

  private final Map<Long, Roles<S>> streams = new HashMap<>();

  /** Gives {@code session} the first free role on the stream, or refuses it. */
  synchronized Claim claim(long streamId, S session) {
    Roles<S> roles = streams.computeIfAbsent(streamId, id -> new Roles<>());
    if (roles.owner == null) {
      roles.owner = session;
      return Claim.OWNER;
    }
    if (roles.successor == null) {
      roles.successor = session;
      roles.successorOwns = new CompletableFuture<>();
      return Claim.SUCCESSOR;
    }
    return Claim.REFUSED;
  }

  /**
   * Completes (possibly already completed) once {@code session} owns the stream; never completes
   * for a session that holds no role on it.
   */
  synchronized CompletableFuture<Void> ownership(long streamId, S session) {
    Roles<S> roles = streams.get(streamId);
    if (roles != null && roles.owner == session) {
      return CompletableFuture.completedFuture(null);
    }
    if (roles != null && roles.successor == session) {
      return roles.successorOwns;
    }
    return new CompletableFuture<>();
  }

  /** The stream's owner, or null. */
  synchronized S owner(long streamId) {
    Roles<S> roles = streams.get(streamId);
    return roles == null ? null : roles.owner;
  }

  /**
   * Gives up {@code session}'s role. An owner leaving promotes the successor (whose
   * {@link #ownership} future then completes); a successor leaving frees its place.
   */
  void release(long streamId, S session) {
    CompletableFuture<Void> promoted = null;
    synchronized (this) {
      Roles<S> roles = streams.get(streamId);
      if (roles == null) {
        return;
      }
      if (roles.owner == session) {
        roles.owner = roles.successor;
        promoted = roles.successorOwns;
        roles.successor = null;
        roles.successorOwns = null;
      } else if (roles.successor == session) {
        roles.successor = null;
        roles.successorOwns.cancel(false);
        roles.successorOwns = null;
      }
      if (roles.owner == null) {
        streams.remove(streamId);
      }
    }
    if (promoted != null) {
      promoted.complete(null);
    }
  }
}
