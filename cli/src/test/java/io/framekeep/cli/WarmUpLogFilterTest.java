package io.framekeep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import io.framekeep.server.warmup.ServerWarmUp;
import org.junit.jupiter.api.Test;

class WarmUpLogFilterTest {
  private final LoggerContext context = new LoggerContext();
  private final WarmUpLogFilter filter = new WarmUpLogFilter();

  private FilterReply decide(String thread, String logger, Level level) {
    LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger(logger), level,
        "message", null, null);
    event.setThreadName(thread);
    return filter.decide(event);
  }

  @Test
  void decide_warmUpThreadsBelowWarn_denied() {
    assertThat(decide("framekeep-warm-up-worker-3", "io.framekeep.server.ingest.PutMediaSession",
        Level.INFO)).isEqualTo(FilterReply.DENY);
    assertThat(decide("framekeep-warm-up-io-4-1", "io.framekeep.server.http.HttpRouter",
        Level.DEBUG)).isEqualTo(FilterReply.DENY);
    assertThat(decide("framekeep-warm-up", "io.framekeep.server.FramekeepServer", Level.INFO))
        .isEqualTo(FilterReply.DENY);
  }

  @Test
  void decide_warmUpWarningsAndSummary_pass() {
    assertThat(decide("framekeep-warm-up-worker-3", "io.framekeep.server.ingest.PutMediaSession",
        Level.WARN)).isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide("framekeep-warm-up", ServerWarmUp.class.getName(), Level.INFO))
        .isEqualTo(FilterReply.NEUTRAL);
  }

  @Test
  void decide_realServerThreads_pass() {
    assertThat(decide("framekeep-worker-1", "io.framekeep.server.ingest.PutMediaSession",
        Level.INFO)).isEqualTo(FilterReply.NEUTRAL);
    assertThat(decide("multiThreadIoEventLoopGroup-3-1", "io.framekeep.server.http.HttpRouter",
        Level.DEBUG)).isEqualTo(FilterReply.NEUTRAL);
  }
}
