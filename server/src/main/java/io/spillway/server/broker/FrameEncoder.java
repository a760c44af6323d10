package io.spillway.server.broker;

import io.netty.buffer.ByteBuf;

/**
 * Encodes a published message as the exact bytes one kind of subscriber receives (a RESP2 array, a RESP3 push, a
 * WebSocket text frame). The broker holds one per frame kind ({@link Subscriber#frameKind()}) and never knows the
 * protocols themselves. Implementations are stateless and thread-safe.
 */
public interface FrameEncoder {

  /** Bytes {@link #message} writes. */
  int messageSize(byte[] channel, byte[] payload);

  /** Writes the frame of a message for a channel subscriber. */
  void message(ByteBuf out, byte[] channel, byte[] payload);

  /** Whether subscribers of this kind can hold pattern subscriptions. */
  boolean patterns();

  /** Bytes {@link #pmessage} writes. */
  int pmessageSize(byte[] pattern, byte[] channel, byte[] payload);

  /** Writes the frame of a message for a subscriber of {@code pattern}. */
  void pmessage(ByteBuf out, byte[] pattern, byte[] channel, byte[] payload);

  /**
   * Whether subscribers of this kind can hold shard channel subscriptions (Redis 7's SSUBSCRIBE); if not, {@link
   * #smessage} is never called.
   */
  boolean shardChannels();

  /** Bytes {@link #smessage} writes. */
  int smessageSize(byte[] channel, byte[] payload);

  /** Writes the frame of a message for a subscriber of the shard channel {@code channel} (SPUBLISH). */
  void smessage(ByteBuf out, byte[] channel, byte[] payload);

  /** Bytes {@link #notice} writes. */
  int noticeSize(byte[] json);

  /**
   * Writes a server notice ({@code json}, an object) as this kind of subscriber reads it: RESP, a message on {@code
   * __spillway__:notices}; WebSocket, the object itself as a text frame.
   */
  void notice(ByteBuf out, byte[] json);
}
