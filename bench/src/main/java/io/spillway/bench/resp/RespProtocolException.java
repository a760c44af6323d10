package io.spillway.bench.resp;

import io.netty.handler.codec.CorruptedFrameException;

/** Thrown by {@link RespReplyParser} when the bytes a server sent are not RESP; the connection is then useless. */
public final class RespProtocolException extends CorruptedFrameException {

  RespProtocolException(String message) {
    super(message);
  }
}
