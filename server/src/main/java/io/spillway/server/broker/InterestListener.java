package io.spillway.server.broker;

/**
 * Told when a channel or pattern gains its first subscriber on this server or loses its last: what a backplane
 * subscribes to elsewhere. Called on the event loop of the subscriber that caused the change, after the broker's maps
 * have changed, and so possibly out of order between two loops: a listener reads the current state back ({@link
 * Broker#subscriberCount}, {@link Broker#hasPattern}) rather than trusting the direction of the call.
 */
public interface InterestListener {

  /** Nobody listens. */
  InterestListener NONE = (name, pattern) -> {};

  /** {@code name} (a channel, or a pattern when {@code pattern}) may have gained or lost its last subscriber. */
  void interestChanged(String name, boolean pattern);
}
