package io.spillway.server.outbox;

/** What the outbox needs of the client it guards. Called on the client's event loop. */
public interface OutboxOwner {

  /** The client as the cut log line names it: {@code id=7 addr=127.0.0.1:50312 laddr=… name=…}. */
  String describe();

  /** Subscriptions (channels plus patterns) the client holds, for the cut log line. */
  int subscriptionCount();

  /**
   * The outbox reached its soft limit ({@code true}) or drained to half of it ({@code false}): the owner stops
   * reading the client's requests meanwhile, so a client that pipelines requests and reads replies slowly is paced,
   * not cut.
   */
  void outboxFull(boolean full);

  /** Whether the client subscribes to {@code __spillway__:notices} and so wants its gap notices and warnings. */
  boolean wantsNotices();

  /**
   * The frame of a notice ({@code json}, an object) in the client's protocol: a message on {@code
   * __spillway__:notices} for RESP, the object as a text frame for WebSocket.
   */
  io.netty.buffer.ByteBuf noticeFrame(io.netty.buffer.ByteBufAllocator alloc, byte[] json);
}
