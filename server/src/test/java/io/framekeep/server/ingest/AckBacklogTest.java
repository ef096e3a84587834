package io.framekeep.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.server.memory.MemoryBudget;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class AckBacklogTest {
  private final MemoryBudget budget = new MemoryBudget(1L << 30);
  private final AckBacklog backlog = new AckBacklog(budget);

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
}
