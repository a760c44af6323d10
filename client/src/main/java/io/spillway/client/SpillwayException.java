package io.spillway.client;

/**
 * Why a publish failed. Subclasses say how: {@link ShedException} (the server refused it),
 * {@link RetryBudgetExhaustedException}, {@link LocalRejectionException} (never sent),
 * {@link DeadlineExceededException}, {@link PublishRejectedException} (a status that is not retried).
 */
public class SpillwayException extends RuntimeException {

  SpillwayException(String message, Throwable cause) {
    super(message, cause);
  }

  /** True if the message was certainly not published (so a later retry cannot duplicate it). */
  public boolean notPublished() {
    return false;
  }
}
