package io.spillway.server.command;

import java.util.List;
import java.util.Map;

/**
 * A command's name, arity (Redis's convention: positive means exactly, negative means at least, counting the name)
 * and flags, as {@code COMMAND} reports them and as dispatch checks them.
 */
final class CommandSpec {

  /** Allowed in RESP2 once the client has a subscription (Redis's pubsub context). */
  static final int SUBSCRIBED_OK = 1;
  /** Allowed before AUTH when requirepass is set. */
  static final int NO_AUTH = 2;

  final String name;
  final int arity;
  final int flags;
  final List<String> redisFlags;
  final List<String> subcommands;
  /**
   * COMMAND INFO's legacy key positions (first, last, step; all 0 for a command without keys): Redis 7.0 declares
   * the sharded pub/sub commands' channels as keys, so that cluster clients route them by slot.
   */
  final int firstKey;

  final int lastKey;
  final int keyStep;

  private CommandSpec(
      String name, int arity, int flags, List<String> redisFlags, List<String> subcommands) {
    this(name, arity, flags, redisFlags, subcommands, 0, 0, 0);
  }

  private CommandSpec(
      String name,
      int arity,
      int flags,
      List<String> redisFlags,
      List<String> subcommands,
      int firstKey,
      int lastKey,
      int keyStep) {
    this.name = name;
    this.arity = arity;
    this.flags = flags;
    this.redisFlags = redisFlags;
    this.subcommands = subcommands;
    this.firstKey = firstKey;
    this.lastKey = lastKey;
    this.keyStep = keyStep;
  }

  boolean has(int flag) {
    return (flags & flag) != 0;
  }

  boolean arityOk(int argc) {
    return arity >= 0 ? argc == arity : argc >= -arity;
  }

  /** Every command Spillway serves, by lower-case name. */
  static final Map<String, CommandSpec> TABLE = Map.ofEntries(
      spec("ping", -1, SUBSCRIBED_OK, List.of("fast", "sentinel")),
      spec("echo", 2, 0, List.of("fast")),
      spec(
          "hello",
          -1,
          NO_AUTH,
          List.of("noscript", "loading", "stale", "fast", "no_auth", "allow_busy")),
      spec(
          "auth",
          -2,
          NO_AUTH,
          List.of("noscript", "loading", "stale", "fast", "no_auth", "allow_busy")),
      spec(
          "quit",
          -1,
          SUBSCRIBED_OK | NO_AUTH,
          List.of("allow_busy", "noscript", "loading", "stale", "fast", "no_auth")),
      spec(
          "reset",
          1,
          SUBSCRIBED_OK | NO_AUTH,
          List.of("noscript", "loading", "stale", "fast", "no_auth", "allow_busy")),
      spec("subscribe", -2, SUBSCRIBED_OK, List.of("pubsub", "noscript", "loading", "stale")),
      spec("unsubscribe", -1, SUBSCRIBED_OK, List.of("pubsub", "noscript", "loading", "stale")),
      spec("psubscribe", -2, SUBSCRIBED_OK, List.of("pubsub", "noscript", "loading", "stale")),
      spec("punsubscribe", -1, SUBSCRIBED_OK, List.of("pubsub", "noscript", "loading", "stale")),
      spec("publish", 3, 0, List.of("pubsub", "loading", "stale", "fast", "may_replicate")),
      keyed("ssubscribe", -2, SUBSCRIBED_OK, List.of("pubsub", "noscript", "loading", "stale"), -1),
      keyed(
          "sunsubscribe", -1, SUBSCRIBED_OK, List.of("pubsub", "noscript", "loading", "stale"), -1),
      keyed("spublish", 3, 0, List.of("pubsub", "loading", "stale", "fast"), 1),
      spec("monitor", 1, 0, List.of("admin", "noscript", "loading", "stale")),
      container(
          "pubsub",
          List.of("channels", "numsub", "numpat", "shardchannels", "shardnumsub", "help")),
      container(
          "client",
          List.of(
              "id",
              "setname",
              "getname",
              "list",
              "info",
              "kill",
              "setinfo",
              "no-evict",
              "pause",
              "unpause",
              "reply",
              "help")),
      spec("info", -1, 0, List.of("loading", "stale", "sentinel")),
      container("command", -1, List.of("count", "list", "info", "docs", "help")),
      container("config", -2, List.of("get", "set", "resetstat", "rewrite", "help")));

  private static Map.Entry<String, CommandSpec> spec(
      String name, int arity, int flags, List<String> redisFlags) {
    return Map.entry(name, new CommandSpec(name, arity, flags, redisFlags, List.of()));
  }

  /** A command whose arguments from the first to {@code lastKey} are shard channels (keys to a cluster). */
  private static Map.Entry<String, CommandSpec> keyed(
      String name, int arity, int flags, List<String> redisFlags, int lastKey) {
    return Map.entry(
        name, new CommandSpec(name, arity, flags, redisFlags, List.of(), 1, lastKey, 1));
  }

  private static Map.Entry<String, CommandSpec> container(String name, List<String> subcommands) {
    return container(name, -2, subcommands);
  }

  private static Map.Entry<String, CommandSpec> container(
      String name, int arity, List<String> subcommands) {
    return Map.entry(name, new CommandSpec(name, arity, 0, List.of(), subcommands));
  }
}
