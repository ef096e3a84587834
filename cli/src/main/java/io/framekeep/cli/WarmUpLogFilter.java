package io.framekeep.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import io.framekeep.server.warmup.ServerWarmUp;

/**
 * Keeps the start-up warm-up out of the server's log: events below WARN from threads named
 * {@code framekeep-warm-up*} (the warm-up's clients and its scratch server, whose every upload
 * would otherwise log like a real one) are dropped, except the warm-up's own summary line. WARN
 * and ERROR pass, so a warm-up that goes wrong still says so. Used by {@code logback.xml}.
 * Thread-safe (stateless).
 */
public final class WarmUpLogFilter extends Filter<ILoggingEvent> {
  private static final String SUMMARY_LOGGER = ServerWarmUp.class.getName();

  @Override
  public FilterReply decide(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.WARN)
        || !event.getThreadName().startsWith(ServerWarmUp.THREAD_NAME_PREFIX)
        || event.getLoggerName().equals(SUMMARY_LOGGER)) {
      return FilterReply.NEUTRAL;
    }
    return FilterReply.DENY;
  }
}
