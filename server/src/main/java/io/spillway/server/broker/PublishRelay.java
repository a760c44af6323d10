package io.spillway.server.broker;

/**
 * Told of every message {@link Broker#publish} accepts, after its size checks and before its local delivery: what a
 * backplane sends to other servers. Called on the publisher's event loop; must not block.
 */
public interface PublishRelay {

  /** Nobody relays. */
  PublishRelay NONE = (channel, payload, from) -> {};

  /**
   * {@code payload} was published on {@code channel} by {@code from}. The arrays are the publish's own: never change
   * them (keeping references is fine).
   */
  void published(byte[] channel, byte[] payload, Publisher from);
}
