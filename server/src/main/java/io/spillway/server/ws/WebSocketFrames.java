package io.spillway.server.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.spillway.server.broker.FrameEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Server-to-client WebSocket frames as exact bytes (RFC 6455: FIN set, unmasked, the shortest length form), above all
 * the one frame a published message becomes for every WebSocket subscriber: a text frame holding {@code
 * {"channel":"…","message":"…"}}, or {@code {"channel":"…","message_base64":"…"}} when the payload is not UTF-8 or
 * when JSON escapes would make it longer than Base64 does (mostly control characters). So a message's frame is at
 * most 4/3 of the payload plus the channel and 40 bytes, and a message that fits a subscriber's hard limit as RESP
 * almost always fits it as WebSocket. Whole frames concatenate into a valid frame stream, so the broker may chunk
 * them like RESP frames. Stateless; any thread.
 */
public final class WebSocketFrames {

  /** Opcode of a text frame. */
  static final int OPCODE_TEXT = 0x1;
  /** Opcode of a close frame. */
  static final int OPCODE_CLOSE = 0x8;
  /** Opcode of a pong frame. */
  static final int OPCODE_PONG = 0xA;
  /** The longest close reason: a control frame's payload is at most 125 bytes, two of them the code. */
  static final int MAX_CLOSE_REASON_BYTES = 123;

  private static final byte[] CHANNEL_OPEN = ascii("{\"channel\":\"");
  private static final byte[] MESSAGE_FIELD = ascii("\",\"message\":\"");
  private static final byte[] BASE64_FIELD = ascii("\",\"message_base64\":\"");
  private static final byte[] CLOSE_OBJECT = ascii("\"}");

  private WebSocketFrames() {}

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * The broker's encoder of the frame every WebSocket subscriber of a channel receives for a message (see the class
   * comment). A channel name that is not UTF-8 (only a RESP publisher can make one) is shown with replacement
   * characters. WebSocket clients hold no pattern subscriptions and no shard channel subscriptions (the JSON
   * commands have no SSUBSCRIBE; a shard channel's messages are Redis's {@code smessage}, which a WebSocket frame would
   * not tell apart from a channel's), so the broker never asks this encoder for those frames.
   */
  public static final FrameEncoder ENCODER = new FrameEncoder() {
    @Override
    public int messageSize(byte[] channel, byte[] payload) {
      long length = payloadLength(channel, payload);
      return headerLength(length) + (int) length;
    }

    @Override
    public void message(ByteBuf out, byte[] channel, byte[] payload) {
      writeMessage(out, channel, payload);
    }

    @Override
    public boolean patterns() {
      return false;
    }

    @Override
    public int pmessageSize(byte[] pattern, byte[] channel, byte[] payload) {
      throw new UnsupportedOperationException("WebSocket clients hold no pattern subscriptions");
    }

    @Override
    public void pmessage(ByteBuf out, byte[] pattern, byte[] channel, byte[] payload) {
      throw new UnsupportedOperationException("WebSocket clients hold no pattern subscriptions");
    }

    @Override
    public boolean shardChannels() {
      return false;
    }

    @Override
    public int smessageSize(byte[] channel, byte[] payload) {
      throw new UnsupportedOperationException(
          "WebSocket clients hold no shard channel subscriptions");
    }

    @Override
    public void smessage(ByteBuf out, byte[] channel, byte[] payload) {
      throw new UnsupportedOperationException(
          "WebSocket clients hold no shard channel subscriptions");
    }

    @Override
    public int noticeSize(byte[] json) {
      return headerLength(json.length) + json.length;
    }

    @Override
    public void notice(ByteBuf out, byte[] json) {
      writeHeader(out, OPCODE_TEXT, json.length);
      out.writeBytes(json);
    }
  };

  /** The frame of {@code payload} on {@code channel} in a buffer of its own (see {@link #ENCODER}). */
  public static ByteBuf message(ByteBufAllocator alloc, byte[] channel, byte[] payload) {
    long length = payloadLength(channel, payload);
    ByteBuf out = allocate(alloc, length);
    writeMessage(out, channel, payload);
    return out;
  }

  private static long payloadLength(byte[] channel, byte[] payload) {
    byte[] name = JsonText.isValidUtf8(channel) ? channel : lenientUtf8(channel);
    long escaped = JsonText.escapedLength(payload);
    boolean text = escaped <= base64Length(payload.length) && JsonText.isValidUtf8(payload);
    long length = CHANNEL_OPEN.length
        + JsonText.escapedLength(name)
        + (text
            ? MESSAGE_FIELD.length + escaped
            : BASE64_FIELD.length + base64Length(payload.length))
        + CLOSE_OBJECT.length;
    if (length > Integer.MAX_VALUE - 10) {
      throw new IllegalArgumentException(
          "frame payload of " + length + " bytes is too large to buffer");
    }
    return length;
  }

  private static void writeMessage(ByteBuf out, byte[] channel, byte[] payload) {
    byte[] name = JsonText.isValidUtf8(channel) ? channel : lenientUtf8(channel);
    long escaped = JsonText.escapedLength(payload);
    boolean text = escaped <= base64Length(payload.length) && JsonText.isValidUtf8(payload);
    byte[] base64 = text ? null : Base64.getEncoder().encode(payload);
    long length = CHANNEL_OPEN.length
        + JsonText.escapedLength(name)
        + (text ? MESSAGE_FIELD.length + escaped : BASE64_FIELD.length + base64.length)
        + CLOSE_OBJECT.length;
    writeHeader(out, OPCODE_TEXT, length);
    out.writeBytes(CHANNEL_OPEN);
    JsonText.writeEscaped(out, name);
    if (text) {
      out.writeBytes(MESSAGE_FIELD);
      JsonText.writeEscaped(out, payload);
    } else {
      out.writeBytes(BASE64_FIELD);
      out.writeBytes(base64);
    }
    out.writeBytes(CLOSE_OBJECT);
  }

  private static long base64Length(int n) {
    return 4L * ((n + 2) / 3);
  }

  private static byte[] lenientUtf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
  }

  /** A text frame whose payload is {@code utf8}. */
  static ByteBuf text(ByteBufAllocator alloc, byte[] utf8) {
    ByteBuf out = allocate(alloc, utf8.length);
    writeHeader(out, OPCODE_TEXT, utf8.length);
    return out.writeBytes(utf8);
  }

  /**
   * A close frame with {@code code} and {@code reason}, the reason cut to {@link #MAX_CLOSE_REASON_BYTES} bytes at a
   * character boundary. A negative code gives a close frame with no payload (the answer to one without a code).
   */
  /** The close frame 1001 (going away) every WebSocket client gets when the server shuts down. */
  public static ByteBuf goingAway(ByteBufAllocator alloc) {
    return close(alloc, 1001, "server shutting down");
  }

  static ByteBuf close(ByteBufAllocator alloc, int code, String reason) {
    if (code < 0) {
      ByteBuf out = alloc.buffer(2, 2);
      writeHeader(out, OPCODE_CLOSE, 0);
      return out;
    }
    byte[] text = truncatedUtf8(reason, MAX_CLOSE_REASON_BYTES);
    int length = 2 + text.length;
    ByteBuf out = allocate(alloc, length);
    writeHeader(out, OPCODE_CLOSE, length);
    return out.writeShort(code).writeBytes(text);
  }

  /** A pong answering a ping: the ping's application data (at most 125 bytes) echoed. */
  static ByteBuf pong(ByteBufAllocator alloc, ByteBuf pingData) {
    int length = Math.min(125, pingData.readableBytes());
    ByteBuf out = allocate(alloc, length);
    writeHeader(out, OPCODE_PONG, length);
    return out.writeBytes(pingData, pingData.readerIndex(), length);
  }

  private static byte[] truncatedUtf8(String s, int maxBytes) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length <= maxBytes) {
      return b;
    }
    int end = maxBytes;
    while (end > 0 && (b[end] & 0xC0) == 0x80) {
      end--; // b[end] continues a character: cut before that character starts
    }
    byte[] out = new byte[end];
    System.arraycopy(b, 0, out, 0, end);
    return out;
  }

  private static ByteBuf allocate(ByteBufAllocator alloc, long payloadLength) {
    if (payloadLength > Integer.MAX_VALUE - 10) {
      throw new IllegalArgumentException(
          "frame payload of " + payloadLength + " bytes is too large to buffer");
    }
    int size = headerLength(payloadLength) + (int) payloadLength;
    return alloc.directBuffer(size, size);
  }

  /** Bytes of the header of an unmasked frame with {@code payloadLength} bytes of payload: 2, 4 or 10. */
  static int headerLength(long payloadLength) {
    return payloadLength <= 125 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
  }

  /** FIN and {@code opcode}, then the length in its shortest form: 7 bits, 126 + 16 bits, or 127 + 64 bits. */
  static void writeHeader(ByteBuf out, int opcode, long payloadLength) {
    out.writeByte(0x80 | opcode);
    if (payloadLength <= 125) {
      out.writeByte((int) payloadLength);
    } else if (payloadLength <= 0xFFFF) {
      out.writeByte(126).writeShort((int) payloadLength);
    } else {
      out.writeByte(127).writeLong(payloadLength);
    }
  }
}
