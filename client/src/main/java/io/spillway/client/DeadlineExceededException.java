package io.spillway.client;

/**
 * The call's deadline passed: waiting for an answer (the message may or may not have been published), or before a
 * retry could be made (the cause is the last shed, and nothing was published).
 */
public final class DeadlineExceededException extends SpillwayException {

  private final boolean notPublished;

  DeadlineExceededException(String message, Throwable cause, boolean notPublished) {
    super(message, cause);
    this.notPublished = notPublished;
  }

  @Override
  public boolean notPublished() {
    return notPublished;
  }
}
