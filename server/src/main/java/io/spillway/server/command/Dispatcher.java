package io.spillway.server.command;

import io.spillway.server.client.ClientSession;
import io.spillway.server.resp.RespRequest;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a request as Redis 7.0 does, in Redis's order (unknown command, unknown subcommand, arity, authentication,
 * RESP2 subscribed context), with Redis's error texts, then runs it.
 */
final class Dispatcher {

  /** Subcommand arities, as Redis 7.0 declares them (counting the container and the subcommand). */
  static final Map<String, Integer> SUBCOMMAND_ARITY = Map.ofEntries(
      Map.entry("client|id", 2),
      Map.entry("client|setname", 3),
      Map.entry("client|getname", 2),
      Map.entry("client|list", -2),
      Map.entry("client|info", 2),
      Map.entry("client|kill", -3),
      Map.entry("client|setinfo", 4),
      Map.entry("client|help", 2),
      Map.entry("client|no-evict", 3),
      Map.entry("client|pause", -3),
      Map.entry("client|unpause", 2),
      Map.entry("client|reply", 3),
      Map.entry("config|get", -3),
      Map.entry("config|set", -4),
      Map.entry("config|resetstat", 2),
      Map.entry("config|rewrite", 2),
      Map.entry("config|help", 2),
      Map.entry("command|count", 2),
      Map.entry("command|list", -2),
      Map.entry("command|info", -2),
      Map.entry("command|docs", -2),
      Map.entry("command|help", 2),
      Map.entry("pubsub|channels", -2),
      Map.entry("pubsub|numsub", -2),
      Map.entry("pubsub|numpat", 2),
      Map.entry("pubsub|shardchannels", -2),
      Map.entry("pubsub|shardnumsub", -2),
      Map.entry("pubsub|help", 2));

  /** Redis's scripting and functions: answered at once with an error that says they are unsupported. */
  static final java.util.Set<String> SCRIPTING = java.util.Set.of(
      "eval", "evalsha", "eval_ro", "evalsha_ro", "script", "fcall", "fcall_ro", "function");

  private Dispatcher() {}

  /** Checks and runs {@code r}, honouring CLIENT REPLY's mode and counting it for INFO commandstats. */
  static void dispatch(CommandHandler h, RespRequest r) {
    if (h.replyMode == CommandHandler.ReplyMode.SKIP_NEXT) {
      h.replyMode = CommandHandler.ReplyMode.SKIP_THIS;
    }
    check(h, r);
    if (h.replyMode == CommandHandler.ReplyMode.SKIP_THIS && h.postponedRequest() == null) {
      h.replyMode = CommandHandler.ReplyMode.ON;
    }
  }

  private static void check(CommandHandler h, RespRequest r) {
    String name = r.name();
    CommandSpec spec = CommandSpec.TABLE.get(name);
    if (spec == null) {
      h.error(SCRIPTING.contains(name) ? scriptingUnsupported(name) : unknownCommand(r));
      return;
    }
    String fullName = name;
    int arity = spec.arity;
    if (!spec.subcommands.isEmpty() && r.size() >= 2) {
      String sub = r.argString(1).toLowerCase(Locale.ROOT);
      Integer subArity = SUBCOMMAND_ARITY.get(name + "|" + sub);
      if (subArity == null) {
        h.server.commandStats.rejected(name);
        h.error("ERR unknown subcommand '" + truncate(r.argString(1), 128) + "'. Try "
            + name.toUpperCase(Locale.ROOT) + " HELP.");
        return;
      }
      fullName = name + "|" + sub;
      arity = subArity;
    }
    if (arity >= 0 ? r.size() != arity : r.size() < -arity) {
      h.server.commandStats.rejected(fullName);
      h.error("ERR wrong number of arguments for '" + fullName + "' command");
      return;
    }
    ClientSession s = h.session;
    if (!s.authenticated() && !spec.has(CommandSpec.NO_AUTH)) {
      h.server.commandStats.rejected(fullName);
      h.error("NOAUTH Authentication required.");
      return;
    }
    if (s.inResp2SubscribedContext() && !spec.has(CommandSpec.SUBSCRIBED_OK)) {
      h.server.commandStats.rejected(fullName);
      h.error(
          "ERR Can't execute '" + fullName
              + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
      return;
    }
    // Redis 7.0's CLIENT PAUSE WRITE holds SPUBLISH as it holds PUBLISH.
    long held = h.server.pause.holds(name.equals("publish") || name.equals("spublish"));
    if (held > 0) {
      h.postpone(r, held);
      return;
    }
    s.touched(fullName);
    if (!h.server.monitors.isEmpty() && !name.equals("auth") && !name.equals("hello")) {
      // Before running, as Redis does; AUTH and HELLO are left out (they carry passwords).
      java.time.Instant now = java.time.Instant.now();
      h.server.monitors.feed(s, r, now.getEpochSecond() * 1_000_000 + now.getNano() / 1000);
    }
    long errorsBefore = h.errorsReplied;
    long start = h.server.clock.nanoTime();
    run(h, r, name);
    h.server.commandStats.called(
        fullName, h.server.clock.nanoTime() - start, h.errorsReplied != errorsBefore);
  }

  /** What a scripting command gets: it fails at once, so a client that would retry it learns why. */
  static String scriptingUnsupported(String name) {
    return "ERR " + name.toUpperCase(Locale.ROOT)
        + " is unsupported: Spillway serves Redis pub/sub and does not run"
        + " Lua scripts or functions";
  }

  private static void run(CommandHandler h, RespRequest r, String name) {
    switch (name) {
      case "ping":
        ConnectionCommands.ping(h, r);
        break;
      case "echo":
        ConnectionCommands.echo(h, r);
        break;
      case "hello":
        ConnectionCommands.hello(h, r);
        break;
      case "auth":
        ConnectionCommands.auth(h, r);
        break;
      case "quit":
        ConnectionCommands.quit(h);
        break;
      case "monitor":
        h.server.monitors.add(h.session);
        h.ok();
        break;
      case "reset":
        ConnectionCommands.reset(h);
        break;
      case "subscribe":
        PubSubCommands.subscribe(h, r, false);
        break;
      case "psubscribe":
        PubSubCommands.subscribe(h, r, true);
        break;
      case "unsubscribe":
        PubSubCommands.unsubscribe(h, r, false);
        break;
      case "punsubscribe":
        PubSubCommands.unsubscribe(h, r, true);
        break;
      case "publish":
        PubSubCommands.publish(h, r);
        break;
      case "pubsub":
        PubSubCommands.pubsub(h, r);
        break;
      case "ssubscribe":
        ShardCommands.ssubscribe(h, r);
        break;
      case "sunsubscribe":
        ShardCommands.sunsubscribe(h, r);
        break;
      case "spublish":
        ShardCommands.spublish(h, r);
        break;
      case "client":
        ClientCommand.client(h, r);
        break;
      case "info":
        InfoCommand.info(h, r);
        break;
      case "command":
        CommandCommand.command(h, r);
        break;
      case "config":
        ConfigCommand.config(h, r);
        break;
      default:
        h.error(unknownCommand(r));
    }
  }

  /** Redis's text, argument quoting and 128-character truncation included. */
  static String unknownCommand(RespRequest r) {
    StringBuilder args = new StringBuilder();
    for (int i = 1; i < r.size() && args.length() < 128; i++) {
      args.append('\'').append(truncate(r.argString(i), 128 - args.length())).append("' ");
    }
    return "ERR unknown command '" + truncate(r.argString(0), 128) + "', with args beginning with: "
        + args;
  }

  static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, Math.max(0, max));
  }
}
