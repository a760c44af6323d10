package io.spillway.server.resp;

import io.netty.handler.codec.DecoderException;

/**
 * A client broke the request grammar. {@link #redisMessage()} is the text redis-server replies with in the same
 * case, without the {@code ERR } prefix; the connection is unusable afterwards, because the decoder has discarded
 * everything after the offending bytes and will discard everything that follows.
 */
public final class RespProtocolException extends DecoderException {

  /*
   * Design notes (for maintainers).
   *
   * No stack trace: the exception is caused by a peer, is thrown from one place, and a misbehaving client can make
   * the server throw it once per connection at whatever rate it likes.
   */

  RespProtocolException(String redisMessage) {
    super(redisMessage);
  }

  /** The error text as redis-server words it, e.g. {@code Protocol error: invalid multibulk length}. */
  public String redisMessage() {
    return getMessage();
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
