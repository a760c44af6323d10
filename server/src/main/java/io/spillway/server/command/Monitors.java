package io.spillway.server.command;

import io.netty.buffer.ByteBuf;
import io.spillway.server.client.ClientSession;
import io.spillway.server.resp.RespRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The clients in MONITOR mode, and the feed of every command to them, in Redis's format ({@code +1700000000.123456 [0
 * 127.0.0.1:54321] "PUBLISH" "news" "hello"}). A monitor is an ordinary client under the outbox policy: its lines go
 * through its outbox, so a monitor that stops reading is cut like any client, never a growing buffer. Thread-safe.
 */
final class Monitors {

  private final CopyOnWriteArrayList<ClientSession> monitors = new CopyOnWriteArrayList<>();

  void add(ClientSession s) {
    monitors.addIfAbsent(s);
  }

  void remove(ClientSession s) {
    monitors.remove(s);
  }

  /** Whether any client monitors: one volatile read, so commands cost nothing more without monitors. */
  boolean isEmpty() {
    return monitors.isEmpty();
  }

  /** Hands every monitor but {@code from} the line of {@code r}, on the monitor's own event loop. */
  void feed(ClientSession from, RespRequest r, long nowMicros) {
    byte[] line = line(from, r, nowMicros);
    for (ClientSession m : monitors) {
      if (m == from) {
        continue;
      }
      m.channel().eventLoop().execute(() -> {
        if (m.channel().isActive()) {
          ByteBuf out = m.channel().alloc().buffer(line.length).writeBytes(line);
          m.reply(out);
          m.channel().flush();
        }
      });
    }
  }

  /** {@code +<seconds>.<micros> [0 <addr>] "<arg>" ...\r\n}, each argument quoted as Redis's sdscatrepr does. */
  static byte[] line(ClientSession from, RespRequest r, long nowMicros) {
    StringBuilder sb = new StringBuilder(64);
    sb.append('+').append(nowMicros / 1_000_000).append('.');
    String micros = Long.toString(nowMicros % 1_000_000);
    sb.append("000000", 0, 6 - micros.length()).append(micros);
    sb.append(" [0 ").append(from.addr()).append(']');
    for (int i = 0; i < r.size(); i++) {
      sb.append(' ');
      quote(sb, r.arg(i));
    }
    sb.append("\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void quote(StringBuilder sb, byte[] arg) {
    sb.append('"');
    for (byte b : arg) {
      int c = b & 0xFF;
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case 7 -> sb.append("\\a");
        case '\b' -> sb.append("\\b");
        default -> {
          if (c >= 0x20 && c < 0x7F) {
            sb.append((char) c);
          } else {
            sb.append("\\x")
                .append(Character.forDigit(c >> 4, 16))
                .append(Character.forDigit(c & 0xF, 16));
          }
        }
      }
    }
    sb.append('"');
  }
}
