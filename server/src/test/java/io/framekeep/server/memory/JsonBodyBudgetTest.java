package io.framekeep.server.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class JsonBodyBudgetTest {
  private static final long BUDGET_BYTES = 8_000;

  @Test
  void charge_unauthenticatedPastItsShare_pausesWhileTheBudgetHasRoom() {
    MemoryBudget shared = new MemoryBudget(BUDGET_BYTES);
    JsonBodyBudget bodies = new JsonBodyBudget(shared);

    assertThat(bodies.unauthenticatedLimitBytes()).isEqualTo(1_000);
    assertThat(bodies.charge(999, false)).isTrue();
    assertThat(bodies.charge(2, false)).as("past the unauthenticated share").isFalse();
    assertThat(shared.exhausted()).isFalse();
    assertThat(bodies.charge(5_000, true)).as("authenticated bodies are not held back by it")
        .isTrue();
    assertThat(shared.usedBytes()).isEqualTo(6_001);
  }

  @Test
  void charge_authenticatedPastTheWholeBudget_paused() {
    MemoryBudget shared = new MemoryBudget(BUDGET_BYTES);
    JsonBodyBudget bodies = new JsonBodyBudget(shared);
    shared.charge(7_900); // what uploads hold

    assertThat(bodies.charge(200, true)).isFalse();
    assertThat(bodies.charge(1, false)).as("unauthenticated bodies draw from it too").isFalse();
  }

  @Test
  void whenAvailable_unauthenticated_completesOnlyOnceItsShareIsReleased() {
    MemoryBudget shared = new MemoryBudget(BUDGET_BYTES);
    JsonBodyBudget bodies = new JsonBodyBudget(shared);
    bodies.charge(1_200, false);

    CompletableFuture<Void> resume = bodies.whenAvailable(false);
    assertThat(resume).isNotDone();
    assertThat(bodies.whenAvailable(true)).as("authenticated: the whole budget has room").isDone();

    bodies.release(1_200, false);
    assertThat(resume).isDone();
    assertThat(shared.usedBytes()).isZero();
    assertThat(bodies.unauthenticatedUsedBytes()).isZero();
  }
}
