package io.spillway.server.wire;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures what a logger writes, with timestamps, so tests can assert on cut log lines. */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(String loggerName) {
    this.logger = (Logger) LoggerFactory.getLogger(loggerName);
    appender.start();
    logger.addAppender(appender);
  }

  /** Captures the outbox policy's cut lines. */
  public static LogCapture cuts() {
    return new LogCapture("spillway.cut");
  }

  public static LogCapture of(String loggerName) {
    return new LogCapture(loggerName);
  }

  /** Formatted messages so far, oldest first. */
  public List<String> messages() {
    synchronized (
        appender) { // AppenderBase.doAppend, which appends to the list, holds the appender's lock
      List<String> out = new ArrayList<>();
      for (ILoggingEvent e : appender.list) {
        out.add(e.getFormattedMessage());
      }
      return out;
    }
  }

  /** Events so far (for their timestamps). */
  public List<ILoggingEvent> events() {
    synchronized (appender) {
      return new ArrayList<>(appender.list);
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
