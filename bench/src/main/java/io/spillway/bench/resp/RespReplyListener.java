package io.spillway.bench.resp;

import io.netty.buffer.ByteBuf;

/**
 * Receives the frames {@link RespReplyParser} reads, on the thread that called {@link RespReplyParser#parse}.
 * Index arguments point into the buffer passed to {@code parse} and are valid only during the call: read what is
 * needed, keep nothing. Each method but {@link #onOther()} defaults to {@code onOther()}.
 */
public interface RespReplyListener {

  /**
   * A published message: RESP2 {@code *3 message CHANNEL PAYLOAD}, RESP3 {@code >3 ...}, or a {@code pmessage}
   * (whose pattern is not passed on).
   */
  default void onMessage(
      ByteBuf frame, int channelIndex, int channelLength, int payloadIndex, int payloadLength) {
    onOther();
  }

  /** A {@code subscribe} or {@code psubscribe} confirmation, with the connection's subscription count. */
  default void onSubscribed(
      ByteBuf frame, int channelIndex, int channelLength, long subscriptionCount) {
    onOther();
  }

  /** An integer reply {@code :N} (a PUBLISH reply: the number of receivers). */
  default void onInteger(long value) {
    onOther();
  }

  /** An error reply {@code -TEXT}; {@code text} is without the dash. */
  default void onError(String text) {
    onOther();
  }

  /** Any other complete frame (a HELLO map, {@code +OK}, an unsubscribe confirmation...), skipped. */
  void onOther();
}
