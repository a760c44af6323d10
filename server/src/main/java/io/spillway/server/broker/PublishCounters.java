package io.spillway.server.broker;

/** What the server counts of publishes. Called on the publisher's event loop; implementations are thread-safe. */
public interface PublishCounters {

  /** A publish was accepted. */
  void published();

  /** A publish was refused for its size. */
  void tooLarge();
}
