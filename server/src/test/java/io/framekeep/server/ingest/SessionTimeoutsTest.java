package io.framekeep.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.framekeep.server.ServiceLimits;
import io.framekeep.server.ingest.SessionTimeouts.Overdue;
import io.framekeep.server.ingest.SessionTimeouts.Reason;
import io.framekeep.server.memory.MemoryBudget;
import io.framekeep.server.testing.MutableClock;
import org.junit.jupiter.api.Test;

class SessionTimeoutsTest {
  private static final long IDLE_MS = 30_000;
  private static final long UNREAD_MS = 20_000;
  private static final long BUDGET_MS = 10_000;

  private final MutableClock clock = MutableClock.atEpochMillis(1_000_000);
  private final AckBacklog backlog = new AckBacklog(new MemoryBudget(1L << 30), clock);
  private final SessionTimeouts timeouts = new SessionTimeouts(ServiceLimits.awsDefaults()
      .withPutMediaIdle(IDLE_MS, 3_000).withPutMediaBounds(UNREAD_MS, BUDGET_MS, 300_000),
      backlog, clock.millis());

  @Test
  void overdue_producerSilentWhileOwingData_idleAfterTheTimeout() {
    clock.advanceMillis(IDLE_MS - 1);
    assertThat(timeouts.overdue(clock.millis(), true)).isNull();

    clock.advanceMillis(1);
    assertThat(timeouts.overdue(clock.millis(), true)).isEqualTo(new Overdue(Reason.IDLE, IDLE_MS));
  }

  @Test
  void overdue_serverHoldingTheSession_silenceCountsOnlyFromWhenItStops() {
    clock.advanceMillis(5 * IDLE_MS); // e.g. fragments awaiting durability all this time
    assertThat(timeouts.overdue(clock.millis(), false)).isNull();

    clock.advanceMillis(IDLE_MS - 1);
    assertThat(timeouts.overdue(clock.millis(), true)).isNull();
    clock.advanceMillis(1);
    assertThat(timeouts.overdue(clock.millis(), true).reason()).isEqualTo(Reason.IDLE);
  }

  @Test
  void overdue_bodyBytesArrive_silenceRestarts() {
    clock.advanceMillis(IDLE_MS - 1);
    timeouts.heard(clock.millis());
    clock.advanceMillis(IDLE_MS - 1);

    assertThat(timeouts.overdue(clock.millis(), true)).isNull();
  }

  @Test
  void overdue_acksPastTheBoundAndNoneTaken_unreadAcksAfterItsTimeout() {
    backlog.queued((int) AckBacklog.MAX_UNSENT_ACK_BYTES + 1);
    clock.advanceMillis(UNREAD_MS - 1);
    assertThat(timeouts.overdue(clock.millis(), false)).isNull();

    clock.advanceMillis(1);
    assertThat(timeouts.overdue(clock.millis(), false))
        .isEqualTo(new Overdue(Reason.UNREAD_ACKS, UNREAD_MS));
  }

  @Test
  void overdue_parsingWaitsForTheBudget_memoryBudgetAfterItsTimeoutUnlessParsingWentOn() {
    timeouts.budgetWaitStarted(clock.millis());
    clock.advanceMillis(BUDGET_MS / 2);
    timeouts.budgetWaitStarted(clock.millis()); // woken, and waiting again: the first start stands
    clock.advanceMillis(BUDGET_MS / 2);
    assertThat(timeouts.overdue(clock.millis(), false))
        .isEqualTo(new Overdue(Reason.MEMORY_BUDGET, BUDGET_MS));

    timeouts.budgetWaitEnded();
    assertThat(timeouts.overdue(clock.millis(), false)).isNull();
  }

  @Test
  void idleAckDue_noBodyBytesForAPeriod_unlessAcksArePastTheirBound() {
    clock.advanceMillis(2_999);
    assertThat(timeouts.idleAckDue(clock.millis())).isFalse();
    clock.advanceMillis(1);
    assertThat(timeouts.idleAckDue(clock.millis())).isTrue();

    backlog.queued((int) AckBacklog.MAX_UNSENT_ACK_BYTES + 1);
    assertThat(timeouts.idleAckDue(clock.millis())).isFalse();
  }
}
