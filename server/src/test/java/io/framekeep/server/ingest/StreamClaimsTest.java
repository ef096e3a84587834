package io.framekeep.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class StreamClaimsTest {
  private final Object a = new Object();
  private final Object b = new Object();
  private final Object c = new Object();
  private final StreamClaims<Object> claims = new StreamClaims<>();

  @Test
  void claim_ownerThenSuccessorThenThird_thirdRefused() {
    assertThat(claims.claim(1, a)).isEqualTo(StreamClaims.Claim.OWNER);
    assertThat(claims.claim(1, b)).isEqualTo(StreamClaims.Claim.SUCCESSOR);
    assertThat(claims.claim(1, c)).isEqualTo(StreamClaims.Claim.REFUSED);
    assertThat(claims.claim(2, c)).as("another stream").isEqualTo(StreamClaims.Claim.OWNER);
  }

  @Test
  void release_ownerLeaves_successorBecomesOwnerAndItsFutureCompletes() {
    claims.claim(1, a);
    claims.claim(1, b);
    CompletableFuture<Void> owns = claims.ownership(1, b);
    assertThat(owns).isNotDone();
    assertThat(claims.ownership(1, a)).isDone();

    claims.release(1, a);

    assertThat(owns).isCompleted();
    assertThat(claims.owner(1)).isSameAs(b);
    assertThat(claims.claim(1, c)).as("c may now take over from b")
        .isEqualTo(StreamClaims.Claim.SUCCESSOR);
  }

  @Test
  void release_successorLeaves_itsFutureCancelledAndPlaceFree() {
    claims.claim(1, a);
    claims.claim(1, b);
    CompletableFuture<Void> owns = claims.ownership(1, b);

    claims.release(1, b);

    assertThat(owns).isCancelled();
    assertThat(claims.owner(1)).isSameAs(a);
    assertThat(claims.claim(1, c)).isEqualTo(StreamClaims.Claim.SUCCESSOR);
  }

  @Test
  void release_lastOwnerLeaves_streamFreeForANewOwner() {
    claims.claim(1, a);
    claims.release(1, a);
    claims.release(1, a); // twice is harmless

    assertThat(claims.owner(1)).isNull();
    assertThat(claims.claim(1, b)).isEqualTo(StreamClaims.Claim.OWNER);
  }
}
