package io.framekeep.server.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
  @Test
  void charge_pastTheLimit_exhaustedUntilReleased() {
    MemoryBudget budget = new MemoryBudget(100);

    assertThat(budget.charge(60)).isTrue();
    assertThat(budget.exhausted()).isFalse();
    assertThat(budget.charge(60)).isFalse();
    assertThat(budget.exhausted()).isTrue();
    assertThat(budget.usedBytes()).isEqualTo(120);

    budget.release(60);
    assertThat(budget.exhausted()).isFalse();
  }

  @Test
  void whenAvailable_exhausted_completesOnceReleased() {
    MemoryBudget budget = new MemoryBudget(100);
    budget.charge(100);
    CompletableFuture<Void> a = budget.whenAvailable();
    CompletableFuture<Void> b = budget.whenAvailable();
    assertThat(a).isNotDone();

    budget.release(1);
    assertThat(a).as("still at the limit's 7/8 or above").isNotDone();
    budget.release(20);

    assertThat(a).isCompleted();
    assertThat(b).isCompleted();
  }

  @Test
  void whenAvailable_roomNow_completesAtOnce() {
    MemoryBudget budget = new MemoryBudget(100);

    assertThat(budget.whenAvailable()).isCompleted();
  }

  @Test
  void defaultBytes_aQuarterOfTheMaximumHeap() {
    assertThat(MemoryBudget.defaultBytes())
        .isEqualTo((long) (Runtime.getRuntime().maxMemory() * 0.25));
    assertThatThrownBy(() -> new MemoryBudget(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
