package io.spillway.server.outbox;

import java.io.IOException;

/** Fails a write refused because its client has been cut. Stackless: it is expected, and may be frequent. */
public final class OutboxCutException extends IOException {

  // Shared on purpose: stackless and immutable, and a cut client may refuse many writes.
  @SuppressWarnings("StaticAssignmentOfThrowable")
  static final OutboxCutException INSTANCE = new OutboxCutException();

  private OutboxCutException() {
    super("client cut by the outbox policy", null);
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
