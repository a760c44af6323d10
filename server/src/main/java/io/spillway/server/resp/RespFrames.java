package io.spillway.server.resp;

import io.netty.buffer.ByteBuf;
import io.spillway.server.broker.FrameEncoder;

/**
 * The broker's encoders of published messages for RESP subscribers: {@code message} for channel subscribers and
 * {@code pmessage} for pattern subscribers, {@code smessage} for shard channel subscribers, as a RESP2 array ({@link #RESP2}) or a RESP3 push ({@link #RESP3}).
 * Stateless; any thread.
 */
public final class RespFrames implements FrameEncoder {

  /** RESP2: {@code *3\r\n$7\r\nmessage\r\n…}. */
  public static final RespFrames RESP2 = new RespFrames(2);
  /** RESP3: {@code >3\r\n$7\r\nmessage\r\n…}. */
  public static final RespFrames RESP3 = new RespFrames(3);

  private static final byte[] MESSAGE = {'m', 'e', 's', 's', 'a', 'g', 'e'};
  private static final byte[] PMESSAGE = {'p', 'm', 'e', 's', 's', 'a', 'g', 'e'};
  private static final byte[] SMESSAGE = {'s', 'm', 'e', 's', 's', 'a', 'g', 'e'};

  private static final byte[] NOTICES =
      "__spillway__:notices".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final int protocol;

  private RespFrames(int protocol) {
    this.protocol = protocol;
  }

  @Override
  public int messageSize(byte[] channel, byte[] payload) {
    return 4
        + RespWriter.bulkLength(MESSAGE.length)
        + RespWriter.bulkLength(channel.length)
        + RespWriter.bulkLength(payload.length);
  }

  @Override
  public void message(ByteBuf out, byte[] channel, byte[] payload) {
    RespWriter.pushHeader(out, 3, protocol);
    RespWriter.bulk(out, MESSAGE);
    RespWriter.bulk(out, channel);
    RespWriter.bulk(out, payload);
  }

  @Override
  public boolean patterns() {
    return true;
  }

  @Override
  public int pmessageSize(byte[] pattern, byte[] channel, byte[] payload) {
    return 4
        + RespWriter.bulkLength(PMESSAGE.length)
        + RespWriter.bulkLength(pattern.length)
        + RespWriter.bulkLength(channel.length)
        + RespWriter.bulkLength(payload.length);
  }

  @Override
  public void pmessage(ByteBuf out, byte[] pattern, byte[] channel, byte[] payload) {
    RespWriter.pushHeader(out, 4, protocol);
    RespWriter.bulk(out, PMESSAGE);
    RespWriter.bulk(out, pattern);
    RespWriter.bulk(out, channel);
    RespWriter.bulk(out, payload);
  }

  @Override
  public boolean shardChannels() {
    return true;
  }

  @Override
  public int smessageSize(byte[] channel, byte[] payload) {
    return 4
        + RespWriter.bulkLength(SMESSAGE.length)
        + RespWriter.bulkLength(channel.length)
        + RespWriter.bulkLength(payload.length);
  }

  @Override
  public void smessage(ByteBuf out, byte[] channel, byte[] payload) {
    RespWriter.pushHeader(out, 3, protocol);
    RespWriter.bulk(out, SMESSAGE);
    RespWriter.bulk(out, channel);
    RespWriter.bulk(out, payload);
  }

  @Override
  public int noticeSize(byte[] json) {
    return messageSize(NOTICES, json);
  }

  @Override
  public void notice(ByteBuf out, byte[] json) {
    message(out, NOTICES, json);
  }
}
