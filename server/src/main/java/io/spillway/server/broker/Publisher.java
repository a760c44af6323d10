package io.spillway.server.broker;

/** Who publishes: the event loop it publishes on, and how to push it back. Called on that loop. */
public interface Publisher {

  /** The event loop the publish runs on. */
  IoLoop loop();

  /**
   * The publisher as a subscriber of its own messages, or null: a publisher subscribed to the channel gets its
   * message before the reply to its publish, as from Redis.
   */
  Subscriber self();

  /**
   * A loop's delivery backlog is at its high mark: stop taking publishes from this publisher until {@code congested}
   * has drained to its low mark ({@link IoLoop#whenDrained}). The publish that caused it has been accepted.
   */
  void pushedBack(IoLoop congested);

  /**
   * It published to a {@code block} channel that is held (a subscriber is at its soft limit, or the channel's window
   * of messages in flight is full): stop taking publishes from this publisher until {@link
   * ChannelHold#whenReleased}. The publish that found it held has been accepted.
   */
  void held(ChannelHold hold);
}
