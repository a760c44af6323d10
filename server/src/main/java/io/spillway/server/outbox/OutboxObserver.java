package io.spillway.server.outbox;

import io.spillway.core.outbox.DisconnectReason;
import io.spillway.core.outbox.OverflowStrategy;

/** What the server counts of the outboxes' decisions. Called on the client's event loop; implementations are thread-safe. */
public interface OutboxObserver {

  /** A client was cut for {@code reason}. */
  void clientCut(DisconnectReason reason);

  /** A channel's overflow strategy dropped {@code messages} messages for a client. */
  void messagesDropped(OverflowStrategy strategy, long messages);

  /** A notice (a gap notice, or a warning) was handed to a client's socket. */
  void noticeSent(boolean gap);
}
