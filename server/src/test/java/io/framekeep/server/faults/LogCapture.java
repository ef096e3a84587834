package io.framekeep.server.faults;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects what one class logs, for tests that require a log line. */
final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  LogCapture(Class<?> source) {
    logger = (Logger) LoggerFactory.getLogger(source);
    appender.start();
    logger.addAppender(appender);
  }

  /** "LEVEL message | cause messages" of every event so far, one string each. */
  List<String> lines() {
    synchronized (appender.list) {
      return appender.list.stream().map(LogCapture::line).toList();
    }
  }

  /** The lines at ERROR level. */
  List<String> errors() {
    return lines().stream().filter(l -> l.startsWith(Level.ERROR.toString())).toList();
  }

  private static String line(ILoggingEvent event) {
    StringBuilder b = new StringBuilder(event.getLevel().toString()).append(' ')
        .append(event.getFormattedMessage());
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      b.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
    }
    return b.toString();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
