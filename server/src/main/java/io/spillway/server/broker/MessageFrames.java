package io.spillway.server.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.spillway.server.client.ClientSession;
import io.spillway.server.resp.RespWriter;
import io.spillway.server.ws.WebSocketFrames;

/**
 * Encodes a published message once, as the exact bytes a subscriber receives: {@code message} for channel
 * subscribers and {@code pmessage} for pattern subscribers, as a RESP2 array or a RESP3 push; {@code message} also as
 * a WebSocket text frame ({@link ClientSession#WEBSOCKET}).
 */
final class MessageFrames {

  private static final byte[] MESSAGE = {'m', 'e', 's', 's', 'a', 'g', 'e'};
  private static final byte[] PMESSAGE = {'p', 'm', 'e', 's', 's', 'a', 'g', 'e'};

  private MessageFrames() {}

  static ByteBuf message(ByteBufAllocator alloc, int protocol, byte[] channel, byte[] payload) {
    if (protocol == ClientSession.WEBSOCKET) {
      return WebSocketFrames.message(alloc, channel, payload);
    }
    int size = 4 + RespWriter.bulkLength(MESSAGE.length) + RespWriter.bulkLength(channel.length)
        + RespWriter.bulkLength(payload.length);
    ByteBuf out = alloc.directBuffer(size, size);
    RespWriter.pushHeader(out, 3, protocol);
    bulk(out, MESSAGE);
    bulk(out, channel);
    bulk(out, payload);
    return out;
  }

  static ByteBuf pmessage(
      ByteBufAllocator alloc, int protocol, byte[] pattern, byte[] channel, byte[] payload) {
    int size = 4 + RespWriter.bulkLength(PMESSAGE.length) + RespWriter.bulkLength(pattern.length)
        + RespWriter.bulkLength(channel.length) + RespWriter.bulkLength(payload.length);
    ByteBuf out = alloc.directBuffer(size, size);
    RespWriter.pushHeader(out, 4, protocol);
    bulk(out, PMESSAGE);
    bulk(out, pattern);
    bulk(out, channel);
    bulk(out, payload);
    return out;
  }

  private static void bulk(ByteBuf out, byte[] bytes) {
    RespWriter.bulk(out, bytes);
  }
}
