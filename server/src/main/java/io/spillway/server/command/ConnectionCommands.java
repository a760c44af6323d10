package io.spillway.server.command;

import io.netty.buffer.ByteBuf;
import io.spillway.server.auth.AclUser;
import io.spillway.server.auth.Authenticator;
import io.spillway.server.client.ClientSession;
import io.spillway.server.resp.RespRequest;
import io.spillway.server.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** PING, ECHO, HELLO, AUTH, QUIT and RESET, with Redis 7.0's replies. */
final class ConnectionCommands {

  static final String SERVER_NAME = "spillway";
  /** The Redis version whose pub/sub protocol Spillway speaks; HELLO and INFO report it as "version". */
  static final String REDIS_COMPAT_VERSION = "7.0.0";

  private ConnectionCommands() {}

  static void ping(CommandHandler h, RespRequest r) {
    if (r.size() > 2) {
      h.error("ERR wrong number of arguments for 'ping' command");
      return;
    }
    ClientSession s = h.session;
    if (s.inResp2SubscribedContext()) {
      ByteBuf out = h.buffer();
      RespWriter.arrayHeader(out, 2);
      RespWriter.bulk(out, "pong");
      RespWriter.bulk(out, r.size() == 2 ? r.arg(1) : new byte[0]);
      h.reply(out);
    } else if (r.size() == 2) {
      echo(h, r);
    } else {
      h.reply(RespWriter.pong());
    }
  }

  static void echo(CommandHandler h, RespRequest r) {
    ByteBuf out = h.buffer();
    RespWriter.bulk(out, r.arg(1));
    h.reply(out);
  }

  static void hello(CommandHandler h, RespRequest r) {
    ClientSession s = h.session;
    int protocol = s.protocol();
    if (r.size() >= 2) {
      long requested;
      try {
        requested = Long.parseLong(r.argString(1));
      } catch (NumberFormatException e) {
        h.error("ERR Protocol version is not an integer or out of range");
        return;
      }
      if (requested < 2 || requested > 3) {
        h.error("NOPROTO unsupported protocol version");
        return;
      }
      protocol = (int) requested;
    }
    String user = null;
    String pass = null;
    String name = null;
    for (int i = 2; i < r.size(); i++) {
      String opt = r.argString(i).toLowerCase(Locale.ROOT);
      int left = r.size() - i - 1;
      if (opt.equals("auth") && left >= 2) {
        user = r.argString(i + 1);
        pass = r.argString(i + 2);
        i += 2;
      } else if (opt.equals("setname") && left >= 1) {
        name = r.argString(i + 1);
        i += 1;
      } else {
        h.error("ERR Syntax error in HELLO option '" + r.argString(i) + "'");
        return;
      }
    }
    if (user != null && !authenticate(h, user, pass)) {
      return;
    }
    if (!s.authenticated()) {
      h.error(
          "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH"
              + " <user> <pass> option can be used to authenticate the client and select the RESP protocol version at"
              + " the same time");
      return;
    }
    if (name != null) {
      if (!ClientCommand.validName(name)) {
        h.error(ClientCommand.BAD_NAME);
        return;
      }
      s.name(name);
    }
    switchProtocol(h, protocol);
    ByteBuf out = h.buffer();
    RespWriter.mapHeader(out, 7, protocol);
    RespWriter.bulk(out, "server");
    RespWriter.bulk(out, SERVER_NAME);
    RespWriter.bulk(out, "version");
    RespWriter.bulk(out, REDIS_COMPAT_VERSION);
    RespWriter.bulk(out, "proto");
    RespWriter.integer(out, protocol);
    RespWriter.bulk(out, "id");
    RespWriter.integer(out, s.id());
    RespWriter.bulk(out, "mode");
    RespWriter.bulk(out, "standalone");
    RespWriter.bulk(out, "role");
    RespWriter.bulk(out, "master");
    RespWriter.bulk(out, "modules");
    RespWriter.arrayHeader(out, 0);
    h.reply(out);
  }

  static void switchProtocol(CommandHandler h, int protocol) {
    ClientSession s = h.session;
    // The broker picks each subscriber's frames by its protocol at delivery: nothing else to move.
    s.protocol(protocol);
  }

  static void auth(CommandHandler h, RespRequest r) {
    if (r.size() > 3) {
      h.error("ERR syntax error");
      return;
    }
    if (r.size() == 2 && h.server.config.requirePass().isEmpty()) {
      h.error(
          "ERR AUTH <password> called without any password configured for the default user. Are you sure your"
              + " configuration is correct?");
      return;
    }
    String user = r.size() == 3 ? r.argString(1) : AclUser.DEFAULT_NAME;
    if (authenticate(h, user, r.argString(r.size() - 1))) {
      h.ok();
    }
  }

  /**
   * Checks {@code user}/{@code pass} with the server's {@link Authenticator}; on success the connection becomes that
   * user, else the error (WRONGPASS, or the slowed-down refusal) is sent and the connection stays as it was.
   */
  private static boolean authenticate(CommandHandler h, String user, String pass) {
    Authenticator.Outcome o = h.server.auth.check(
        user,
        pass.getBytes(StandardCharsets.ISO_8859_1),
        address(h.ctx.channel().remoteAddress()));
    if (!o.ok()) {
      h.error(o.error);
      return false;
    }
    h.ctx.channel().attr(Authenticator.USER).set(o.user);
    h.authenticated(true);
    return true;
  }

  private static String address(java.net.SocketAddress a) {
    return a instanceof java.net.InetSocketAddress i
        ? i.getAddress().getHostAddress()
        : String.valueOf(a);
  }

  static void quit(CommandHandler h) {
    h.ok();
    h.closeAfterReply();
  }

  static void reset(CommandHandler h) {
    ClientSession s = h.session;
    h.server.broker.unsubscribeAll(s);
    s.subscriptionsChanged();
    switchProtocol(h, 2);
    s.name("");
    h.authenticated(!h.server.auth.passwordRequired());
    h.ctx.channel().attr(Authenticator.USER).set(null);
    ByteBuf out = h.buffer();
    RespWriter.simpleString(out, "RESET");
    h.reply(out);
  }
}
