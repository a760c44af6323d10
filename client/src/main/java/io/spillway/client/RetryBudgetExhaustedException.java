package io.spillway.client;

/** A call would have been retried but the {@link RetryBudget} is spent; the cause is the last shed. */
public final class RetryBudgetExhaustedException extends SpillwayException {

  RetryBudgetExhaustedException(String channel, ShedException last) {
    super(
        "publish to " + channel + ": retry budget spent; last attempt: " + last.getMessage(), last);
  }

  @Override
  public boolean notPublished() {
    return true;
  }
}
