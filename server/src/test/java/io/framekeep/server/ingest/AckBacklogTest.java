package io.framekeep.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.server.memory.MemoryBudget;
import io.framekeep.server.testing.MutableClock;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AckBacklogTest {
  private final MemoryBudget budget = new MemoryBudget(1L << 30);
  private final MutableClock clock = MutableClock.atEpochMillis(1_000_000);
  private final AckBacklog backlog = new AckBacklog(budget, clock);

  @Test
  void overBound_pastTheBound_waitsUntilBelowTheResumeMark() {
    int ack = 150;
    long acks = AckBacklog.MAX_UNSENT_ACK_BYTES / ack + 1;
    for (int i = 0; i < acks; i++) {
      backlog.queued(ack);
    }
    assertThat(budget.usedBytes()).isEqualTo(acks * ack);
    CompletableFuture<Void> drained = backlog.overBound();
    assertThat(drained).isNotNull().isNotDone();

    long sent = 0;
    while (backlog.unsentBytes() >= AckBacklog.RESUME_BELOW_BYTES) {
      assertThat(drained).isNotDone();
      backlog.sent(ack);
      sent++;
    }

    assertThat(drained).isCompleted();
    assertThat(budget.usedBytes()).isEqualTo((acks - sent) * ack);
  }

  @Test
  void overBound_withinTheBound_null() {
    backlog.queued(1000);

    assertThat(backlog.overBound()).isNull();
  }

  @Test
  void stalledMs_pastTheBoundWithNoAckTaken_countsFromTheLaterOfOverBoundAndLastSent() {
    int ack = 1024;
    int toBound = (int) (AckBacklog.MAX_UNSENT_ACK_BYTES / ack);
    for (int i = 0; i < toBound; i++) {
      backlog.queued(ack);
    }
    clock.advanceMillis(5_000);
    assertThat(backlog.stalledMs(clock.millis())).as("at the bound, not past it").isZero();

    backlog.queued(ack); // past the bound now
    clock.advanceMillis(2_000);
    assertThat(backlog.stalledMs(clock.millis())).isEqualTo(2_000);

    backlog.sent(ack); // back at the bound
    backlog.queued(ack);
    backlog.queued(ack); // past it again, by two acks
    clock.advanceMillis(1_000);
    backlog.sent(ack); // the client took one, still past the bound: the stall starts again
    clock.advanceMillis(3_000);
    assertThat(backlog.stalledMs(clock.millis())).isEqualTo(3_000);
  }
}
