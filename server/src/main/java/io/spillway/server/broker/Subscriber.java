package io.spillway.server.broker;

import io.spillway.server.outbox.OutboxHandler;
import java.util.Set;

/**
 * What the broker needs of a subscriber: its event loop, the kind of frame it reads, its outbox, and its
 * subscription sets (which the broker updates). Every method is called on the subscriber's event loop.
 */
public interface Subscriber {

  /** The event loop the subscriber lives on; it never changes. */
  IoLoop loop();

  /** Index of the broker's {@link FrameEncoder} for this subscriber; it may change between messages (HELLO). */
  int frameKind();

  /** Where its messages go. */
  OutboxHandler outbox();

  /** Channels it is subscribed to; changed by the broker only. */
  Set<String> channels();

  /** Patterns it is subscribed to; changed by the broker only. */
  Set<String> patterns();

  /**
   * Shard channels it is subscribed to (Redis 7's SSUBSCRIBE: a namespace of its own); changed by the broker only. A
   * subscriber that never holds any may keep this default, an empty set the broker never changes.
   */
  default Set<String> shardChannels() {
    return Set.of();
  }

  /**
   * Whether it holds back the publishers of the {@code block} channels it is subscribed to: its outbox reached its
   * soft limit and has not drained to half of it yet ({@link Broker#holdBack}).
   */
  boolean holdingBack();
}
