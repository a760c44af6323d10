package io.spillway.server.backplane;

import java.util.concurrent.CompletionStage;

/**
 * The connections to the backplane's Redis: one to publish on, one (or one per shard) to subscribe with. The
 * subscribing and publishing methods are called on the backplane's own thread only; the {@link Events} come on the
 * client library's threads.
 */
interface RedisLink extends AutoCloseable {

  /** What the link reports. */
  interface Events {
    /** A message arrived on {@code channel}; {@code data} is its payload as published on Redis. */
    void message(byte[] channel, byte[] data);

    /** The link is connected again after {@link #down}: what it was subscribed to may have missed messages. */
    void up();

    /** A connection was lost; the library reconnects with backoff. */
    void down(String why);

    /**
     * Redis dropped this server's subscription to {@code channel} by itself (a Cluster slot that moved): subscribe it
     * again and tell its subscribers about the gap.
     */
    void lost(byte[] channel);
  }

  /** Opens the connections; throws if the backplane cannot be reached now. */
  void connect();

  /** Queues a publish; sent at the next {@link #flush()}. Completes when Redis has answered. */
  CompletionStage<?> publish(byte[] channel, byte[] data);

  /** Sends the queued publishes. */
  void flush();

  CompletionStage<?> subscribe(byte[] channel);

  CompletionStage<?> unsubscribe(byte[] channel);

  /** Only where {@link #patterns()}. */
  CompletionStage<?> psubscribe(byte[] pattern);

  /** Only where {@link #patterns()}. */
  CompletionStage<?> punsubscribe(byte[] pattern);

  /** Whether pattern subscriptions exist on this backplane (standalone Redis: yes; Cluster: no). */
  boolean patterns();

  /** Whether each server's messages arrive in the order it sent them, on one connection (then duplicates are found). */
  boolean ordered();

  @Override
  void close();
}
