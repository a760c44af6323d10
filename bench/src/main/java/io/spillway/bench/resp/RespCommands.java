package io.spillway.bench.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Encodes the commands the bench sends, as RESP arrays of bulk strings. Stateless; any thread. */
public final class RespCommands {

  private RespCommands() {}

  /** One command, for set-up traffic ({@code SUBSCRIBE ch}, {@code HELLO 3}); allocates. */
  public static ByteBuf command(ByteBufAllocator alloc, String... args) {
    byte[][] parts = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      parts[i] = args[i].getBytes(StandardCharsets.UTF_8);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeAscii(out, "*" + parts.length + "\r\n");
    for (byte[] p : parts) {
      writeAscii(out, "$" + p.length + "\r\n");
      out.writeBytes(p);
      writeAscii(out, "\r\n");
    }
    byte[] bytes = out.toByteArray();
    return alloc.buffer(bytes.length).writeBytes(bytes);
  }

  /**
   * The bytes of a PUBLISH to {@code channel} that come before a payload of {@code payloadLength} bytes:
   * {@code *3\r\n$7\r\nPUBLISH\r\n$<c>\r\n<channel>\r\n$<n>\r\n}. The payload and its {@code \r\n} follow.
   */
  public static byte[] publishPrefix(byte[] channel, int payloadLength) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeAscii(out, "*3\r\n$7\r\nPUBLISH\r\n$" + channel.length + "\r\n");
    out.writeBytes(channel);
    writeAscii(out, "\r\n$" + payloadLength + "\r\n");
    return out.toByteArray();
  }

  private static void writeAscii(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
  }
}
