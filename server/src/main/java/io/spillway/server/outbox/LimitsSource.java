package io.spillway.server.outbox;

import io.spillway.core.outbox.OutboxLimits;

/**
 * Where an outbox reads its limits when they may change while the server runs ({@code CONFIG SET}). Thread-safe:
 * read on the client's event loop, changed from any thread.
 */
@FunctionalInterface
public interface LimitsSource {

  /** The limits in force for clients of {@code clientClass}. */
  OutboxLimits limits(ClientClass clientClass);
}
