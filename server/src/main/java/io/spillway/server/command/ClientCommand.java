package io.spillway.server.command;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import io.spillway.server.client.ClientSession;
import io.spillway.server.outbox.ClientClass;
import io.spillway.server.outbox.OutboxState;
import io.spillway.server.resp.RespRequest;
import io.spillway.server.resp.RespWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** CLIENT ID | SETNAME | GETNAME | LIST | INFO | KILL | SETINFO | NO-EVICT | PAUSE | UNPAUSE | REPLY | HELP. */
final class ClientCommand {

  static final String BAD_NAME =
      "ERR Client names cannot contain spaces, newlines or special characters.";

  private static final List<String> HELP = List.of(
      "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GETNAME",
      "    Return the name of the current connection.",
      "ID",
      "    Return the ID of the current connection.",
      "INFO",
      "    Return information about the current client connection.",
      "KILL <ip:port>",
      "    Kill connection made from <ip:port>.",
      "KILL <option> <value> [<option> <value> [...]]",
      "    Kill connections. Options are: ID <client-id>, TYPE (normal|pubsub), ADDR <ip:port>, LADDR <ip:port>,",
      "    USER <username>, SKIPME (YES|NO).",
      "LIST [options ...]",
      "    Return information about client connections. Options: TYPE (NORMAL|PUBSUB), ID <id> [...]",
      "SETNAME <name>",
      "    Assign the name <name> to the current connection.",
      "NO-EVICT (ON|OFF)",
      "    Accepted; Spillway never evicts clients for memory (the outbox limits still apply).",
      "PAUSE <timeout> [WRITE|ALL]",
      "    Suspend clients' commands (WRITE: only PUBLISH) for <timeout> milliseconds.",
      "UNPAUSE",
      "    Stop the current client pause, resuming traffic.",
      "REPLY (ON|OFF|SKIP)",
      "    Control the replies sent to the current connection.",
      "HELP",
      "    Print this help.");

  private ClientCommand() {}

  static void client(CommandHandler h, RespRequest r) {
    ClientSession s = h.session;
    String sub = r.argString(1).toLowerCase(Locale.ROOT);
    switch (sub) {
      case "id": {
        ByteBuf out = h.buffer();
        RespWriter.integer(out, s.id());
        h.reply(out);
        break;
      }
      case "setname":
        if (!validName(r.argString(2))) {
          h.error(BAD_NAME);
          return;
        }
        s.name(r.argString(2));
        h.ok();
        break;
      case "getname": {
        ByteBuf out = h.buffer();
        if (s.name().isEmpty()) {
          RespWriter.nullBulk(out, s.protocol());
        } else {
          RespWriter.bulk(out, s.name());
        }
        h.reply(out);
        break;
      }
      case "setinfo":
        h.ok();
        break;
      case "info":
        text(h, line(s) + "\n");
        break;
      case "list":
        list(h, r);
        break;
      case "kill":
        kill(h, r);
        break;
      case "no-evict":
        ClientControl.noEvict(h, r);
        break;
      case "pause":
        ClientControl.pause(h, r);
        break;
      case "unpause":
        ClientControl.unpause(h);
        break;
      case "reply":
        ClientControl.reply(h, r.argString(2));
        break;
      default: {
        ByteBuf out = h.buffer();
        RespWriter.arrayHeader(out, HELP.size());
        for (String l : HELP) {
          RespWriter.simpleString(out, l);
        }
        h.reply(out);
      }
    }
  }

  /** Redis's rule: printable ASCII, no spaces. */
  static boolean validName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '!' || c > '~') {
        return false;
      }
    }
    return true;
  }

  private static void text(CommandHandler h, String text) {
    ByteBuf out = h.buffer();
    RespWriter.verbatim(out, text, h.session.protocol());
    long hard = h.session.outbox().state().limits().hardLimit().toBytes();
    if (out.readableBytes() > hard) {
      int size = out.readableBytes();
      out.release();
      h.error("ERR reply of " + size + " bytes exceeds this client's hard output limit (" + hard
          + "); filter with CLIENT LIST TYPE or ID, or raise normal-hard-limit");
      return;
    }
    h.reply(out);
  }

  private static void list(CommandHandler h, RespRequest r) {
    ClientClass type = null;
    Set<Long> ids = null;
    for (int i = 2; i < r.size(); i++) {
      String opt = r.argString(i).toLowerCase(Locale.ROOT);
      if (opt.equals("type") && i + 1 < r.size()) {
        type = parseType(r.argString(++i));
        if (type == null) {
          h.error("ERR Unknown client type '" + r.argString(i) + "'");
          return;
        }
      } else if (opt.equals("id") && i + 1 < r.size()) {
        ids = new HashSet<>();
        while (i + 1 < r.size()) {
          try {
            long id = Long.parseLong(r.argString(++i));
            if (id <= 0) {
              throw new NumberFormatException();
            }
            ids.add(id);
          } catch (NumberFormatException e) {
            h.error("ERR Invalid client ID");
            return;
          }
        }
      } else {
        h.error("ERR syntax error");
        return;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (ClientSession c : sorted(h)) {
      if ((type == null || c.clientClass() == type) && (ids == null || ids.contains(c.id()))) {
        sb.append(line(c)).append('\n');
      }
    }
    text(h, sb.toString());
  }

  private static List<ClientSession> sorted(CommandHandler h) {
    List<ClientSession> all = new ArrayList<>(h.server.clients.all());
    all.sort((a, b) -> Long.compare(a.id(), b.id()));
    return all;
  }

  private static ClientClass parseType(String t) {
    switch (t.toLowerCase(Locale.ROOT)) {
      case "normal":
        return ClientClass.NORMAL;
      case "pubsub":
        return ClientClass.SUBSCRIBER;
      default:
        return null;
    }
  }

  /**
   * One CLIENT LIST line: Redis 7.0's fields, in its order, then Spillway's fields: {@code proto} ({@code resp2},
   * {@code resp3} or {@code websocket}; a WebSocket client shows {@code resp=0}) and the outbox fields ({@code
   * class}, {@code queued}, {@code above-soft-ms}, {@code hard}, {@code soft}). {@code fd} is the socket's descriptor
   * (native transport; -1 on NIO); {@code oll} the writes queued in Netty's outbound buffer; {@code omem} and
   * {@code tot-mem} the outbox's queued bytes, which is all the memory a client holds here beyond fixed bookkeeping;
   * {@code qbuf}, {@code argv-mem}, {@code rbs} and {@code obl} are 0: requests are parsed straight from each read,
   * and there is no static reply buffer.
   */
  static String line(ClientSession c) {
    long now = System.currentTimeMillis();
    OutboxState o = c.outbox().state();
    long queued = o.queuedBytes();
    io.netty.channel.ChannelOutboundBuffer outbound = c.channel().unsafe().outboundBuffer();
    return "id=" + c.id()
        + " addr=" + c.addr()
        + " laddr=" + c.laddr()
        + " fd=" + fd(c)
        + " name=" + c.name()
        + " age=" + (now - c.createdAtMillis()) / 1000
        + " idle=" + Math.max(0, now - c.lastInteractionMillis()) / 1000
        + " flags=" + (c.subscriptionCount() > 0 ? "P" : "N")
        + " db=0"
        + " sub=" + c.channelCount()
        + " psub=" + c.patternCount()
        + " ssub=" + c.shardChannelCount()
        + " multi=-1"
        + " qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0"
        + " oll=" + (outbound == null ? 0 : outbound.size())
        + " omem=" + queued
        + " tot-mem=" + queued
        + " events=" + (c.channel().config().isAutoRead() ? "r" : "") + (queued > 0 ? "w" : "")
        + " cmd=" + c.lastCommand()
        + " user=default redir=-1"
        + " resp=" + c.protocol()
        + " proto=" + c.protocolName()
        + " class=" + o.clientClass().label()
        + " queued=" + queued
        + " dropped=" + o.droppedMessages()
        + " above-soft-ms=" + o.millisAboveSoftLimit()
        + " hard=" + o.limits().hardLimit().toBytes()
        + " soft=" + o.limits().softLimit().toBytes()
        + " paused=" + c.pausedBy()
        + " holding=" + (c.holdingBack() ? 1 : 0);
  }

  private static int fd(ClientSession c) {
    if (c.channel() instanceof io.netty.channel.unix.UnixChannel) {
      return ((io.netty.channel.unix.UnixChannel) c.channel()).fd().intValue();
    }
    return -1;
  }

  private static void kill(CommandHandler h, RespRequest r) {
    ClientSession self = h.session;
    if (r.size() == 3) {
      String addr = r.argString(2);
      for (ClientSession c : h.server.clients.all()) {
        if (c.addr().equals(addr)) {
          h.ok();
          close(h, c);
          return;
        }
      }
      h.error("ERR No such client");
      return;
    }
    if (r.size() % 2 != 0) {
      h.error("ERR syntax error");
      return;
    }
    Long id = null;
    ClientClass type = null;
    String addr = null;
    String laddr = null;
    String user = null;
    boolean skipMe = true;
    for (int i = 2; i < r.size(); i += 2) {
      String opt = r.argString(i).toLowerCase(Locale.ROOT);
      String val = r.argString(i + 1);
      switch (opt) {
        case "id":
          try {
            id = Long.parseLong(val);
          } catch (NumberFormatException e) {
            id = 0L;
          }
          if (id <= 0) {
            h.error("ERR client-id should be greater than 0");
            return;
          }
          break;
        case "type":
          type = parseType(val);
          if (type == null) {
            h.error("ERR Unknown client type '" + val + "'");
            return;
          }
          break;
        case "addr":
          addr = val;
          break;
        case "laddr":
          laddr = val;
          break;
        case "user":
          user = val;
          break;
        case "skipme":
          if (val.equalsIgnoreCase("yes")) {
            skipMe = true;
          } else if (val.equalsIgnoreCase("no")) {
            skipMe = false;
          } else {
            h.error("ERR syntax error");
            return;
          }
          break;
        default:
          h.error("ERR syntax error");
          return;
      }
    }
    int killed = 0;
    boolean killSelf = false;
    for (ClientSession c : h.server.clients.all()) {
      if ((id != null && c.id() != id)
          || (type != null && c.clientClass() != type)
          || (addr != null && !c.addr().equals(addr))
          || (laddr != null && !c.laddr().equals(laddr))
          || (user != null && !user.equals("default"))) {
        continue;
      }
      if (c == self) {
        if (skipMe) {
          continue;
        }
        killSelf = true;
      } else {
        close(h, c);
      }
      killed++;
    }
    ByteBuf out = h.buffer();
    RespWriter.integer(out, killed);
    h.reply(out);
    if (killSelf) {
      h.closeAfterReply();
    }
  }

  private static void close(CommandHandler h, ClientSession c) {
    if (c == h.session) {
      h.closeAfterReply();
      return;
    }
    c.channel().eventLoop().execute(() -> {
      c.channel().config().setOption(ChannelOption.SO_LINGER, 0);
      c.channel().close();
    });
  }
}
