package io.spillway.server.outbox;

import io.spillway.core.outbox.DisconnectReason;

/** What the server counts of the outboxes' decisions. Called on the client's event loop; implementations are thread-safe. */
public interface OutboxObserver {

  /** A client was cut for {@code reason}. */
  void clientCut(DisconnectReason reason);
}
