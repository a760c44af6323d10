package io.spillway.server.command;

import io.spillway.server.resp.RespRequest;
import java.util.Locale;

/**
 * CLIENT NO-EVICT | PAUSE | UNPAUSE | REPLY: the subcommands that change how the server treats connections, with
 * Redis 7.0's replies and errors. Run on the calling client's event loop.
 */
final class ClientControl {

  private ClientControl() {}

  /** Accepted and without effect: Spillway never evicts clients for memory; the outbox limits apply regardless. */
  static void noEvict(CommandHandler h, RespRequest r) {
    if (onOff(r.argString(2)) == null) {
      h.error("ERR syntax error");
    } else {
      h.ok();
    }
  }

  static void unpause(CommandHandler h) {
    h.server.pause.unpause();
    h.ok();
  }

  private static Boolean onOff(String v) {
    return v.equalsIgnoreCase("on")
        ? Boolean.TRUE
        : v.equalsIgnoreCase("off") ? Boolean.FALSE : null;
  }

  static void pause(CommandHandler h, RespRequest r) {
    long millis;
    try {
      millis = Long.parseLong(r.argString(2));
    } catch (NumberFormatException e) {
      h.error("ERR timeout is not an integer or out of range");
      return;
    }
    if (millis < 0) {
      h.error("ERR timeout is negative");
      return;
    }
    boolean all = true;
    if (r.size() == 4) {
      String mode = r.argString(3);
      if (mode.equalsIgnoreCase("write")) {
        all = false;
      } else if (!mode.equalsIgnoreCase("all")) {
        h.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
        return;
      }
    } else if (r.size() > 4) {
      h.error("ERR syntax error");
      return;
    }
    h.server.pause.pause(Math.min(millis, Long.MAX_VALUE / 2_000_000L), all);
    h.ok();
  }

  /** CLIENT REPLY: ON answers OK; OFF and SKIP answer nothing (SKIP also silences the next command). */
  static void reply(CommandHandler h, String mode) {
    switch (mode.toLowerCase(Locale.ROOT)) {
      case "on":
        h.replyMode = CommandHandler.ReplyMode.ON;
        h.ok();
        break;
      case "off":
        h.replyMode = CommandHandler.ReplyMode.OFF;
        break;
      case "skip":
        if (h.replyMode != CommandHandler.ReplyMode.OFF) {
          h.replyMode = CommandHandler.ReplyMode.SKIP_NEXT;
        }
        break;
      default:
        h.error("ERR syntax error");
    }
  }
}
