package io.spillway.client;

/** The client refused the call itself, without sending a request: the message was not published. */
public final class LocalRejectionException extends SpillwayException {

  /** Why. */
  public enum Reason {
    /** The circuit breaker is open (or half-open with every probe out). */
    CIRCUIT_OPEN,
    /** Adaptive throttling: the server has been accepting too few requests. */
    THROTTLED
  }

  private final Reason reason;

  LocalRejectionException(String channel, Reason reason, Throwable last) {
    super(
        "publish to " + channel + ": refused locally ("
            + reason.name().toLowerCase(java.util.Locale.ROOT) + ")",
        last);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  @Override
  public boolean notPublished() {
    return true;
  }
}
